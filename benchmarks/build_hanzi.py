"""Rebuild jingdu/data/common_hanzi.txt: the characters that make up most Chinese text.

    python benchmarks/build_hanzi.py [N]

The first line holds the N most frequent simplified characters, counted from jieba's own word
list (each word's frequency added to each of its characters); the second line holds frequent
traditional characters (their simplified forms are on the first line), written by hand and
kept only where Python's codecs agree (in Big5, not in GB2312).  Used by
:mod:`jingdu.ingest.decode` to tell real Chinese text from a page decoded with the wrong codec.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import jieba

TRADITIONAL = ("們這個說國會來時為對從過還後裡學開發種經實現關機長問題東車門見電話點頭動應當將無與總義業務產"
               "區變體條傳導於戰軍報號興記講認識讓請議計設調論費達運連進遠選邊際隊陽陰雖難顯風飛馬魚鳥黨齊龍"
               "書買賣賽質歷歸親覺觀語誰讀幾廣廠張強歲殺氣漢濟熱爭愛態戲數斷並畫異療監盡確碼禮離稱積穩窮競"
               "筆節範簡糧紀約級紅納純紙組結絕統絲綜綠網緊線練縣繼續職聯聲聽肅腦臨舉舊藝蘇處蟲術衛裝規視覽"
               "訊許訴詞試詩該詳誤課談諸譯護貝負財貨購貴資賓賴贊趕軟輕輪輸轉辦農遷遺郵鄉醫釋針錢鐵銀錄鍵間"
               "閱階陸險隨雙雞雲靈響頁頂項順須領額餘館驗鬥魯價們億兒內兩圖團壓夠奮嗎壞導層歡決眾萬與專業")


def frequent_simplified(n: int) -> str:
    counts: Counter[str] = Counter()
    path = Path(jieba.__file__).parent / "dict.txt"
    for line in path.read_text(encoding="utf-8").splitlines():
        word, freq, *_ = line.split(" ")
        for ch in word:
            if "\u4e00" <= ch <= "\u9fff":
                counts[ch] += int(freq)
    return "".join(ch for ch, _ in counts.most_common(n))


def traditional_only() -> str:
    def encodes(ch: str, codec: str) -> bool:
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            return False
        return True

    kept = [ch for ch in dict.fromkeys(TRADITIONAL) if encodes(ch, "big5") and not encodes(ch, "gb2312")]
    return "".join(kept)


def main(argv: list[str]) -> None:
    n = int(argv[0]) if argv else 1500
    out = Path(__file__).resolve().parents[1] / "jingdu" / "data" / "common_hanzi.txt"
    out.write_text(frequent_simplified(n) + "\n" + traditional_only() + "\n", encoding="utf-8")
    print(f"written {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
