"""jieba's part-of-speech tagger on a compact copy of its dictionary.

jieba keeps its dictionary as two Python dicts: the tokenizer's ``FREQ`` (each of dict.txt's
349k words and each prefix of one: 498k strings to a frequency) and the tagger's
``word_tag_tab`` (word to part of speech), about 107 MB in each process. Here both are read
from one marisa trie of about 2.3 MB. jieba's own code reads these tables only through ``get``,
``in`` and ``[]``, so it cuts and tags every string exactly as before. The trie is built once
from jieba's own tables and cached in the temp folder beside jieba's cache, in a file named
after the dictionary's hash: rebuilt when missing or unreadable. The tables are read-only: jieba's
``add_word``, ``suggest_freq`` and ``load_userdict`` fail.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
import marshal
import os
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from operator import itemgetter
from types import ModuleType

import marisa_trie

_RECORD = "<iB"  # a word's frequency and its part of speech: an index into the cache's tags, 0 for none
_CACHE_NAME = "billflow-jieba.{digest}.v1.trie"
_LOCK = threading.Lock()


class TrieColumn(Mapping):
    """One field of the trie's records as a read-only dict; a word whose field decodes to None is
    not a key."""

    def __init__(self, trie: marisa_trie.RecordTrie, decode: Callable[[tuple], object]):
        self._trie, self._decode = trie, decode

    def get(self, word: str, default=None):
        records = self._trie.get(word)
        value = self._decode(records[0]) if records else None
        return default if value is None else value

    def __getitem__(self, word: str):
        if (value := self.get(word)) is None:
            raise KeyError(word)
        return value

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None

    def __iter__(self) -> Iterator[str]:
        return (word for word, record in self._trie.iteritems() if self._decode(record) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def compact_posseg() -> ModuleType:
    """``jieba.posseg``, its tagger's ``word_tag_tab`` and its tokenizer's (``jieba.dt``) ``FREQ``
    read from the cached trie: jieba's dicts are loaded only to build a missing cache."""
    import jieba

    with _LOCK:
        jieba.setLogLevel(logging.WARNING)
        posseg = _posseg_without_tags(jieba.dt)
        if not isinstance(jieba.dt.FREQ, TrieColumn):
            total, freq, tags = load_tables(jieba.dt.tmp_dir or tempfile.gettempdir())
            with jieba.dt.lock:
                jieba.dt.FREQ, jieba.dt.total, jieba.dt.initialized = freq, total, True
            posseg.dt.word_tag_tab = tags
        return posseg


def load_tables(folder: str) -> tuple[int, TrieColumn, TrieColumn]:
    """jieba's total frequency, ``FREQ`` and ``word_tag_tab`` for its dictionary, from the trie
    cached in ``folder`` (built there when missing or unreadable)."""
    path = cache_path(folder)
    try:
        total, tags, trie_bytes = _read(path)
    except (OSError, EOFError, ValueError, TypeError):
        total, tags, trie_bytes = _build()
        _write(path, (total, tags, trie_bytes))
    trie = marisa_trie.RecordTrie(_RECORD).frombytes(trie_bytes)
    return total, TrieColumn(trie, itemgetter(0)), TrieColumn(trie, lambda record: tags[record[1]])


def cache_path(folder: str) -> str:
    """The trie's cache file in ``folder``, named after the hash of jieba's dictionary."""
    import jieba

    with jieba.Tokenizer().get_dict_file() as dictionary:
        digest = hashlib.file_digest(dictionary, "md5").hexdigest()
    return os.path.join(folder, _CACHE_NAME.format(digest=digest))


def _read(path: str) -> tuple[int, tuple, bytes]:
    with open(path, "rb") as cache:
        total, tags, trie_bytes = marshal.load(cache)
    return total, tags, trie_bytes


def _build() -> tuple[int, tuple, bytes]:
    """The total, the tags and the trie made from the tables jieba itself builds (a fresh
    tokenizer and tagger, dropped afterwards)."""
    import jieba

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    word_tags = _posseg_without_tags(jieba.dt).POSTokenizer(tokenizer).word_tag_tab
    if not word_tags.keys() <= tokenizer.FREQ.keys():
        raise ValueError("jieba's dictionary tags a word it does not count")
    tags = (None, *sorted(set(word_tags.values())))
    index = {tag: number for number, tag in enumerate(tags)}
    trie = marisa_trie.RecordTrie(_RECORD, ((word, (frequency, index[word_tags.get(word)]))
                                            for word, frequency in tokenizer.FREQ.items()))
    return tokenizer.total, tags, trie.tobytes()


def _write(path: str, tables: tuple[int, tuple, bytes]) -> None:
    """``tables`` cached at ``path`` through a temporary file, as jieba writes its cache; a
    folder that cannot be written to only costs the next process a rebuild."""
    try:
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path))
        with os.fdopen(handle, "wb") as cache:
            marshal.dump(tables, cache)
        os.replace(temporary, path)
    except OSError:
        logging.getLogger(__name__).warning("could not cache jieba's trie at %s", path, exc_info=True)


def _posseg_without_tags(tokenizer) -> ModuleType:
    """``jieba.posseg`` imported without the ``word_tag_tab`` its import reads from dict.txt for
    its default tagger (given an empty dictionary instead)."""
    if "jieba.posseg" not in sys.modules:
        tokenizer.get_dict_file = io.BytesIO
        try:
            importlib.import_module("jieba.posseg")
        finally:
            del tokenizer.get_dict_file
    return sys.modules["jieba.posseg"]
