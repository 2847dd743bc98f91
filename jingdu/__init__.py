"""精读 jingdu: clip, mark, extract and review Chinese official-media articles."""

__version__ = "0.1.0"
