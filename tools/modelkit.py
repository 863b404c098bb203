"""Build real ``.argosmodel`` packages offline, for tests and the benchmark.

No package registry ships Argos weights, and nothing may be downloaded at run
time, so the tests and ``make bench`` build their models: a SentencePiece
model trained on the given text, a CTranslate2 Transformer whose weights are
set with numpy, ``metadata.json``, zipped in Argos's layout.

``copying=True`` sets the weights by hand so the model copies its input
exactly: tokens and positions live in separate halves of the model
dimension; every sublayer but the decoder's cross-attention outputs zero;
cross-attention at step t attends to source position t (the query and key
see only the position half) and brings back that position's token (the
value sees only the token half); the output projection is the token
embeddings, and ``add_source_eos`` makes the copy end with ``</s>``. It is
a deterministic fixture for the real loading and translation path. With
several heads each head's slice of the model dimension is split the same
way, so ``REALISTIC`` copies too: a model of the published size whose
outputs end (the benchmark's "outputs end" shape).
``copying=False`` gives random weights of a realistic size for timing; they
never emit ``</s>``, so every output runs to the decoding cap (the worst case).

Also built here, for the tests of ``press models`` and of the LibreTranslate
engine: an Argos index entry for a package (:func:`index_entry`), and a
"never split" MiniSBD sentence splitter (:func:`build_never_split_minisbd`),
which lets an unmodified LibreTranslate translate offline (its MiniSBD would
otherwise download a model on the first request).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SPECIALS = ["<unk>", "<s>", "</s>"]
PEAK = 8.0  # scale of a random model's output projection
PLACEHOLDER_SYMBOLS = ["⟦", "⟧"]


@dataclass(frozen=True)
class ModelShape:
    """The size of a Transformer: layers (encoder, decoder), width, heads, vocabulary, quantization."""

    layers: tuple[int, int] = (1, 1)
    width: int = 128
    heads: int = 1
    vocabulary: int = 0  # 0: the SentencePiece vocabulary as it is; more: padded to this size
    quantization: str | None = None
    max_positions: int = 512


COPYING = ModelShape()
REALISTIC = ModelShape(layers=(6, 6), width=512, heads=8, vocabulary=32_000, quantization="int8")


def build_argosmodel(
    target: Path,
    text: str,
    source: str,
    lang: str,
    shape: ModelShape = COPYING,
    copying: bool = True,
    seed: int = 7,
    version: str = "1.0",
) -> Path:
    """Write ``target``, an .argosmodel of ``version`` for source → lang, its tokenizer trained on ``text``."""
    import ctranslate2.specs.transformer_spec as ts
    import sentencepiece as spm

    name = f"translate-{source}_{lang}-{version.replace('.', '_')}"
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / name
        (folder / "model").mkdir(parents=True)
        corpus = Path(work) / "corpus.txt"
        corpus.write_text(text, encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(corpus),
            model_prefix=str(folder / "sentencepiece"),
            vocab_size=_vocabulary_size(text),
            model_type="unigram",
            character_coverage=1.0,
            normalization_rule_name="identity",
            user_defined_symbols=PLACEHOLDER_SYMBOLS,
            hard_vocab_limit=False,
            minloglevel=2,
        )
        (folder / "sentencepiece.vocab").unlink()
        pieces = _pieces(folder / "sentencepiece.model", shape.vocabulary)
        spec = ts.TransformerSpec.from_config(shape.layers, shape.heads)
        rng = np.random.default_rng(seed)
        (_copying_weights if copying else _random_weights)(spec, len(pieces), shape, rng)
        spec.config.add_source_eos = True
        spec.register_source_vocabulary(pieces)
        spec.register_target_vocabulary(pieces)
        spec.validate()
        if shape.quantization:
            spec.optimize(quantization=shape.quantization)
        spec.save(str(folder / "model"))
        (folder / "metadata.json").write_text(json.dumps(_metadata(source, lang, copying, version)), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                archive.write(path, path.relative_to(work).as_posix())
    return target


def _vocabulary_size(text: str) -> int:
    return max(64, min(1000, len(set(text.split())) // 2))


def _pieces(model: Path, size: int) -> list[str]:
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(model))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    pieces[:3] = SPECIALS
    return pieces + [f"▁filler{i}" for i in range(max(0, size - len(pieces)))]


def _metadata(source: str, lang: str, copying: bool, version: str) -> dict:
    kind = "copying test model" if copying else "random benchmark model"
    return {
        "package_version": version,
        "argos_version": "1.11.0",
        "from_code": source,
        "from_name": source,
        "to_code": lang,
        "to_name": lang,
        "package_type": "translate",
        "description": f"A {kind} built by press (tools/modelkit.py)",
    }


def _balanced_signs(count: int, size: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct vectors of ±1 with as many +1 as -1: zero mean, norm √size."""
    base = np.array([1.0, -1.0] * (size // 2), dtype=np.float32)
    rows, seen = [], set()
    while len(rows) < count:
        row = rng.permutation(base)
        key = row.tobytes()
        if key not in seen:
            seen.add(key)
            rows.append(row)
    return np.stack(rows)


def _copying_weights(spec, vocabulary: int, shape: ModelShape, rng: np.random.Generator) -> None:
    width, half = shape.width, shape.width // 2
    token_dims, position_dims = _copying_halves(width, shape.heads)
    tokens = np.zeros((vocabulary, width), np.float32)
    tokens[:, token_dims] = _balanced_signs(vocabulary, half, rng)
    positions = np.zeros((shape.max_positions, width), np.float32)
    positions[:, position_dims] = _balanced_signs(shape.max_positions, half, rng)
    token_half = np.diag(np.isin(np.arange(width), token_dims)).astype(np.float32)
    position_half = np.diag(np.isin(np.arange(width), position_dims)).astype(np.float32)
    identity, zero = np.eye(width, dtype=np.float32), np.zeros((width, width), np.float32)
    for side, embeddings in ((spec.encoder, spec.encoder.embeddings[0]), (spec.decoder, spec.decoder.embeddings)):
        side.scale_embeddings = False
        embeddings.weight = tokens
        side.position_encodings.encodings = positions
        _layer_norm(side.layer_norm, width)
    for layer in spec.encoder.layer:
        _attention(layer.self_attention, [np.zeros((3 * width, width), np.float32), zero], width)
        _silent_ffn(layer.ffn, width)
    for layer in spec.decoder.layer:
        _attention(layer.self_attention, [np.zeros((3 * width, width), np.float32), zero], width)
        keys_values = np.concatenate([position_half, 4.0 * token_half])
        _attention(layer.attention, [8.0 * position_half, keys_values, identity], width)
        _silent_ffn(layer.ffn, width)
    spec.decoder.projection.weight = tokens
    spec.decoder.projection.bias = np.zeros(vocabulary, np.float32)


def _copying_halves(width: int, heads: int) -> tuple[np.ndarray, np.ndarray]:
    """The token and position dimensions: each attention head's slice is half token, half position.

    With one head this is the first and second half of the model dimension; with more, every head
    attends by its own share of the position and brings back its own share of the token.
    """
    within_head = np.arange(width) % (width // heads)
    return np.flatnonzero(within_head < width // heads // 2), np.flatnonzero(within_head >= width // heads // 2)


def _random_weights(spec, vocabulary: int, shape: ModelShape, rng: np.random.Generator) -> None:
    width = shape.width

    def matrix(rows: int, columns: int) -> np.ndarray:
        return (rng.standard_normal((rows, columns)) / np.sqrt(columns)).astype(np.float32)

    for side, embeddings in ((spec.encoder, spec.encoder.embeddings[0]), (spec.decoder, spec.decoder.embeddings)):
        embeddings.weight = matrix(vocabulary, width)
        _layer_norm(side.layer_norm, width)
    for layer in spec.encoder.layer:
        _attention(layer.self_attention, [matrix(3 * width, width), matrix(width, width)], width)
        _ffn(layer.ffn, matrix(4 * width, width), matrix(width, 4 * width), width)
    for layer in spec.decoder.layer:
        _attention(layer.self_attention, [matrix(3 * width, width), matrix(width, width)], width)
        _attention(layer.attention, [matrix(width, width), matrix(2 * width, width), matrix(width, width)], width)
        _ffn(layer.ffn, matrix(4 * width, width), matrix(width, 4 * width), width)
    # Peaked output distributions, as a trained model's are (near-ties are rare, not absent).
    spec.decoder.projection.weight = PEAK * matrix(vocabulary, width)
    spec.decoder.projection.bias = np.zeros(vocabulary, np.float32)


def _layer_norm(norm, width: int) -> None:
    norm.gamma = np.ones(width, np.float32)
    norm.beta = np.zeros(width, np.float32)


def _attention(attention, weights: list[np.ndarray], width: int) -> None:
    _layer_norm(attention.layer_norm, width)
    for linear, weight in zip(attention.linear, weights):
        linear.weight = weight
        linear.bias = np.zeros(weight.shape[0], np.float32)


def _silent_ffn(ffn, width: int) -> None:
    _ffn(ffn, np.zeros((width, width), np.float32), np.zeros((width, width), np.float32), width)


def _ffn(ffn, inner: np.ndarray, outer: np.ndarray, width: int) -> None:
    _layer_norm(ffn.layer_norm, width)
    ffn.linear_0.weight, ffn.linear_0.bias = inner, np.zeros(inner.shape[0], np.float32)
    ffn.linear_1.weight, ffn.linear_1.bias = outer, np.zeros(outer.shape[0], np.float32)


def index_entry(archive: Path, links: list[str], sha256: bool = False) -> dict:
    """The Argos index entry of a package built here: its metadata, ``links`` and ``code``; ``sha256`` adds ours."""
    with zipfile.ZipFile(archive) as zipped:
        [name] = [n for n in zipped.namelist() if n.endswith("/metadata.json") and n.count("/") == 1]
        metadata = json.loads(zipped.read(name))
    fields = ("package_version", "argos_version", "from_code", "from_name", "to_code", "to_name")
    entry = {field: metadata[field] for field in fields}
    entry["links"] = links
    entry["code"] = f"translate-{metadata['from_code']}_{metadata['to_code']}"
    if sha256:
        entry["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    return entry


# What MiniSBD reads from a model's metadata: the features it computes per character, and its vocabulary.
MINISBD_FEATURES = ["space_before", "capitalized", "numeric", "end_of_para", "start_of_para"]
MINISBD_CLASSES = 5  # per character: 0 no boundary, 1 token end, 2 sentence end, 3 and 4 multi-word token ends


def build_never_split_minisbd(target: Path, lang: str) -> Path:
    """Write ``target`` (``<lang>.onnx``): a MiniSBD model that never splits a text inside a paragraph.

    An ONNX graph (opset 13) with MiniSBD's inputs ``units`` (int64 [B, T]) and ``features``
    (float [B, T, F]) whose output ``logits`` (float [B, T, 5]) always favours class 0, "no
    boundary"; MiniSBD still ends a sentence at the end of each paragraph. The ``config`` and
    ``vocab`` metadata are what MiniSBD's loader reads. Placed in
    ``$XDG_DATA_HOME/argos-translate/minisbd/`` it serves LibreTranslate's Argos offline.
    """
    import onnx
    from onnx import TensorProto, helper

    zero = helper.make_tensor("zero", TensorProto.FLOAT, [], [0.0])
    favour_none = helper.make_tensor("favour_none", TensorProto.FLOAT, [MINISBD_CLASSES], [1.0, 0, 0, 0, 0])
    nodes = [
        helper.make_node("Cast", ["units"], ["units_float"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["units_float", "last_axis"], ["column"]),
        helper.make_node("Mul", ["column", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "favour_none"], ["logits"]),
    ]
    last_axis = helper.make_tensor("last_axis", TensorProto.INT64, [1], [2])
    graph = helper.make_graph(
        nodes,
        "never_split",
        [
            helper.make_tensor_value_info("units", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", "length", len(MINISBD_FEATURES)]),
        ],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "length", MINISBD_CLASSES])],
        [zero, favour_none, last_axis],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="press modelkit")
    model.ir_version = 8
    vocab = {
        "lang": lang,
        "idx": 0,
        "cutoff": 0,
        "lower": False,
        "_unit2id": {"<PAD>": 0, "<UNK>": 1},
        "_id2unit": ["<PAD>", "<UNK>"],
    }
    config = {"feat_funcs": MINISBD_FEATURES, "max_seqlen": 300}
    metadata = {"lang_code": lang, "config": json.dumps(config), "vocab": json.dumps(vocab), "lexicon": "null"}
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(target))
    return target
