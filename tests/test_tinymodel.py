"""The benchmark's model builder (tests/tinymodel.py): a vocabulary padded to the real size must
look like a real model's to SentencePiece — ordinary pieces, not user-defined symbols, which a
real model does not have and which SentencePiece loads and applies at a cost of their own."""

from __future__ import annotations

import io

import sentencepiece as spm
import tinymodel
from conftest import SHANGHAI_SOURCE
from sentencepiece import sentencepiece_model_pb2 as model_pb2

TYPE = model_pb2.ModelProto.SentencePiece


def _types(proto: bytes) -> dict[str, int]:
    model = model_pb2.ModelProto()
    model.ParseFromString(proto)
    return {piece.piece: piece.type for piece in model.pieces}


def test_a_vocabulary_padded_past_what_the_text_supports_holds_ordinary_pieces_that_never_occur():
    lines = tinymodel._training_lines(SHANGHAI_SOURCE.read_text(encoding="utf-8"), None)
    unpadded = spm.SentencePieceProcessor(model_proto=tinymodel.train_sentencepiece(lines))
    target = unpadded.get_piece_size() * 8  # far more than the document supports

    proto = tinymodel.train_sentencepiece(lines, target)
    padded = spm.SentencePieceProcessor(model_proto=proto)
    types = _types(proto)
    assert padded.get_piece_size() == target
    assert TYPE.USER_DEFINED not in types.values()
    assert [types[f"<v{i:05d}>"] for i in range(3)] == [TYPE.NORMAL] * 3
    pieces = {padded.id_to_piece(i) for i in range(target)}
    for line in lines:  # the padding never occurs in a tokenisation
        assert not any(piece.startswith("<v") for piece in padded.encode(line, out_type=str))
        assert pieces.issuperset(padded.encode(line, out_type=str))


def test_making_user_defined_symbols_ordinary_pieces_changes_no_tokenisation():
    lines = tinymodel._training_lines(SHANGHAI_SOURCE.read_text(encoding="utf-8"), None)
    padding = [f"<v{i:05d}>" for i in range(300)]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(lines), model_writer=buffer, vocab_size=3000,
                                   model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
                                   user_defined_symbols=padding, num_threads=1, minloglevel=2)
    as_symbols = buffer.getvalue()
    as_pieces = tinymodel._as_normal_pieces(as_symbols, set(padding))

    assert _types(as_symbols)["<v00007>"] == TYPE.USER_DEFINED
    assert _types(as_pieces)["<v00007>"] == TYPE.NORMAL
    before = spm.SentencePieceProcessor(model_proto=as_symbols)
    after = spm.SentencePieceProcessor(model_proto=as_pieces)
    assert after.get_piece_size() == before.get_piece_size()
    assert [after.id_to_piece(i) for i in range(after.get_piece_size())] == [
        before.id_to_piece(i) for i in range(before.get_piece_size())]
    for line in lines:
        assert after.encode(line) == before.encode(line)
