"""Records, concepts, captions and note sentences for training the default CXR SigLIP.

Every image becomes a Record with a set of *concepts* (what is known to be true about it:
"pneumonia", "bacterial", "view:ap", "age:child", "case:covid-42", ...) and a set of concepts
known to be *false* (a Kermany "normal" image has no pneumonia). A caption is a claim: concepts
it asserts and concepts it denies. Caption j is a positive for image i when every asserted concept
is in i's concepts and every denied concept is in i's known-false set. That gives the
multi-positive target matrix of the sigmoid loss (identical or compatible captions in one batch
are positives for each other's images, so the loss never fights itself).
"""
from __future__ import annotations

import csv
import dataclasses
import os
import random
import re
from pathlib import Path

DATA_DIR = Path(os.environ.get("CXR_SHARED_DATA_DIR", "/work/shared/data")) / "cxr"
TRAIN_DIR = Path(__file__).resolve().parent
REPO_DIR = TRAIN_DIR.parents[1]
SPLITS_DIR = TRAIN_DIR / "splits"
CACHE_DIR = TRAIN_DIR / "cache"
MODEL_DIR = REPO_DIR / "resources" / "models" / "cxr-siglip-default"

SOURCES = ("kermany-train", "nih-dev", "covid-notes-dev")

# Findings a model may claim; the NIH ChestX-ray14 labels map to these phrases.
NIH_PHRASES = {
    "Infiltration": "infiltration",
    "Atelectasis": "atelectasis",
    "Edema": "pulmonary edema",
    "Effusion": "pleural effusion",
    "Consolidation": "consolidation",
    "Nodule": "lung nodule",
    "Mass": "lung mass",
    "Pleural_Thickening": "pleural thickening",
    "Pneumothorax": "pneumothorax",
    "Fibrosis": "pulmonary fibrosis",
    "Cardiomegaly": "cardiomegaly",
    "Emphysema": "emphysema",
    "Hernia": "hiatal hernia",
}

# covid-notes "finding" values -> concepts.
COVID_FINDING_CONCEPTS = {
    "COVID-19": {"pneumonia", "viral", "covid"},
    "COVID-19, ARDS": {"pneumonia", "viral", "covid", "ards"},
    "SARS": {"pneumonia", "viral", "sars"},
    "Streptococcus": {"pneumonia", "bacterial", "streptococcus"},
    "Klebsiella": {"pneumonia", "bacterial", "klebsiella"},
    "Legionella": {"pneumonia", "bacterial", "legionella"},
    "Bacterial": {"pneumonia", "bacterial"},
    "Pneumocystis": {"pneumonia", "fungal", "pneumocystis"},
    "Pneumonia": {"pneumonia"},
    "Lipoid": {"pneumonia", "lipoid"},
    "ARDS": {"ards"},
    "No Finding": {"normal"},
}


@dataclasses.dataclass
class Record:
    source: str            # one of SOURCES
    file: str              # path relative to the source folder
    patient: str           # patient id, prefixed by source (unique across sources)
    true: set              # concepts known to be true
    false: set             # concepts known to be false
    label: str             # the source's label string (for evaluation tasks)
    notes: str = ""        # clinical notes (covid-notes only)

    @property
    def path(self) -> str:
        return str(DATA_DIR / self.source / self.file)


def _age_concept(age: str) -> str | None:
    if not age:
        return None
    a = int(float(age))
    if a < 18:
        return "age:child"
    return "age:older" if a >= 65 else "age:adult"


def _view_concept(view: str) -> str | None:
    v = view.strip().upper()
    if v.startswith("AP"):
        return "view:ap"
    if v == "PA":
        return "view:pa"
    if v == "L":
        return "view:lateral"
    return None


def load_records() -> list[Record]:
    records: list[Record] = []
    with open(DATA_DIR / "kermany-train" / "labels.csv", newline="") as f:
        for row in csv.DictReader(f):
            labels = set(row["labels"].split(";"))
            if "normal" in labels:
                true = {"normal"}
                false = {"pneumonia", "bacterial", "viral", "covid"} | {"nih:" + k for k in NIH_PHRASES}
            else:
                kind = "bacterial" if "bacteria" in labels else "viral"
                other = "viral" if kind == "bacterial" else "bacterial"
                true, false = {"pneumonia", kind}, {"normal", other, "covid"}
            true |= {"age:child", "kermany"}
            records.append(Record("kermany-train", row["file"], "K" + row["patient_id"], true, false,
                                  row["labels"]))
    with open(DATA_DIR / "nih-dev" / "labels.csv", newline="") as f:
        for row in csv.DictReader(f):
            labels = set(row["labels"].split("|"))
            true: set = set()
            false: set = set()
            if "No Finding" in labels:
                true.add("normal")
                false |= {"pneumonia", "bacterial", "viral", "covid"} | {"nih:" + k for k in NIH_PHRASES}
            else:
                false.add("normal")
            if "Pneumonia" in labels:
                true.add("pneumonia")
            for k in NIH_PHRASES:
                if k in labels:
                    true.add("nih:" + k)
                elif "Pneumonia" in labels:
                    false.add("nih:" + k)   # text-mined labels: absence is weak evidence, still used
            for c in (_age_concept(row["age"]), _view_concept(row["view"])):
                if c:
                    true.add(c)
            true.add("nih")
            records.append(Record("nih-dev", row["file"], "N" + row["patient_id"], true, false,
                                  row["labels"]))
    with open(DATA_DIR / "covid-notes-dev" / "labels.csv", newline="") as f:
        for row in csv.DictReader(f):
            finding = row["finding"]
            true = set(COVID_FINDING_CONCEPTS.get(finding, set()))
            false = set()
            if "covid" not in true:
                false.add("covid")
            if "normal" in true:
                false |= {"pneumonia", "bacterial", "viral"}
            else:
                false.add("normal")
            if "bacterial" in true:
                false.add("viral")
            if "viral" in true:
                false.add("bacterial")
            for c in (_age_concept(row["age"]), _view_concept(row["view"])):
                if c:
                    true.add(c)
            pid = "C" + row["patient_id"]
            true |= {"case:" + pid, "covidnotes"}
            records.append(Record("covid-notes-dev", row["file"], pid, true, false, finding,
                                  row["clinical_notes"].strip()))
    return records


# ---------------------------------------------------------------------------------------------
# Captions. Each is (text, asserted concepts, denied concepts).

Caption = tuple  # (str, frozenset, frozenset)


def _c(text: str, pos=(), neg=()) -> Caption:
    return (text, frozenset(pos), frozenset(neg))


FINDING_CAPTIONS = {
    "normal": [
        _c("normal chest x-ray", ["normal"]),
        _c("normal chest radiograph", ["normal"]),
        _c("no acute cardiopulmonary abnormality", ["normal"]),
        _c("clear lungs", ["normal"]),
        _c("the lungs are clear", ["normal"]),
        _c("no focal consolidation, effusion or pneumothorax", ["normal"]),
        _c("no pneumonia", [], ["pneumonia"]),
        _c("no evidence of pneumonia", [], ["pneumonia"]),
        _c("no radiographic evidence of pneumonia", [], ["pneumonia"]),
        _c("no active lung disease", ["normal"]),
    ],
    "pneumonia": [
        _c("pneumonia", ["pneumonia"]),
        _c("chest x-ray showing pneumonia", ["pneumonia"]),
        _c("findings consistent with pneumonia", ["pneumonia"]),
        _c("airspace opacity consistent with pneumonia", ["pneumonia"]),
        _c("pulmonary opacities suggestive of pneumonia", ["pneumonia"]),
        _c("abnormal chest x-ray", [], ["normal"]),
        _c("lungs are not clear", [], ["normal"]),
    ],
    "bacterial": [
        _c("bacterial pneumonia", ["bacterial"]),
        _c("lobar consolidation consistent with bacterial pneumonia", ["bacterial"]),
        _c("focal consolidation suggesting bacterial pneumonia", ["bacterial"]),
        _c("chest x-ray showing bacterial pneumonia", ["bacterial"]),
    ],
    "viral": [
        _c("viral pneumonia", ["viral"]),
        _c("diffuse interstitial opacities consistent with viral pneumonia", ["viral"]),
        _c("bilateral interstitial pattern suggesting viral pneumonia", ["viral"]),
        _c("chest x-ray showing viral pneumonia", ["viral"]),
    ],
    "covid": [
        _c("covid-19 pneumonia", ["covid"]),
        _c("covid-19", ["covid"]),
        _c("findings consistent with covid-19", ["covid"]),
        _c("bilateral peripheral ground-glass opacities typical of covid-19", ["covid"]),
        _c("sars-cov-2 pneumonia", ["covid"]),
    ],
    "not_covid": [_c("no covid-19", [], ["covid"]), _c("not covid-19", [], ["covid"])],
    "sars": [_c("sars pneumonia", ["sars"])],
    "ards": [_c("acute respiratory distress syndrome", ["ards"]), _c("ards", ["ards"])],
    "streptococcus": [_c("streptococcus pneumonia", ["streptococcus"])],
    "klebsiella": [_c("klebsiella pneumonia", ["klebsiella"])],
    "legionella": [_c("legionella pneumonia", ["legionella"])],
    "pneumocystis": [_c("pneumocystis pneumonia", ["pneumocystis"])],
    "fungal": [_c("fungal pneumonia", ["fungal"])],
    "lipoid": [_c("lipoid pneumonia", ["lipoid"])],
}
for _k, _p in NIH_PHRASES.items():
    FINDING_CAPTIONS["nih:" + _k] = [_c(_p, ["nih:" + _k]), _c(f"chest x-ray showing {_p}", ["nih:" + _k])]
    FINDING_CAPTIONS["no_nih:" + _k] = [_c(f"no {_p}", [], ["nih:" + _k])]

CONTEXT_CAPTIONS = {
    "age:child": [_c("paediatric chest x-ray", ["age:child"]), _c("chest x-ray of a child", ["age:child"])],
    "age:adult": [_c("adult chest x-ray", ["age:adult"])],
    "age:older": [_c("chest x-ray of an elderly patient", ["age:older"])],
    "view:ap": [_c("ap view", ["view:ap"]), _c("anteroposterior chest radiograph", ["view:ap"])],
    "view:pa": [_c("pa view", ["view:pa"]), _c("posteroanterior chest radiograph", ["view:pa"])],
    "view:lateral": [_c("lateral chest radiograph", ["view:lateral"])],
}


def captions_for(rec: Record) -> list[Caption]:
    """All label captions true for this record (claims compatible with its concepts)."""
    out: list[Caption] = []
    keys = sorted(rec.true)  # sorted: set order varies with PYTHONHASHSEED
    if "covid" in rec.false and "covidnotes" in rec.true:
        keys.append("not_covid")
    for key in keys:
        for src in (FINDING_CAPTIONS, CONTEXT_CAPTIONS):
            for cap in src.get(key, []):
                out.append(cap)
    if "pneumonia" in rec.false and "normal" not in rec.true:
        out += [c for c in FINDING_CAPTIONS["normal"] if not c[1]]
    for k in NIH_PHRASES:
        if "nih:" + k in rec.false:
            out += FINDING_CAPTIONS["no_nih:" + k]
    # Combined phrasing: finding + context, e.g. "ap view, pneumonia".
    finding = [c for c in out if c[1] & {"normal", "pneumonia", "bacterial", "viral", "covid"}]
    context = [c for k in sorted(rec.true) for c in CONTEXT_CAPTIONS.get(k, [])]
    for f in finding[:6]:
        for c in context[:2]:
            out.append((f"{c[0]}: {f[0]}", f[1] | c[1], f[2] | c[2]))
    return [c for c in dict.fromkeys(out) if caption_true(c, rec)]


def caption_true(cap: Caption, rec: Record) -> bool:
    _, pos, neg = cap
    return pos <= rec.true and neg <= rec.false


_SENT_SPLIT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(])")


def note_sentences(notes: str, min_chars: int = 12) -> list[str]:
    """Split a clinical narrative into sentences (as the product does before scoring notes)."""
    parts = [p.strip() for p in _SENT_SPLIT.split(notes.replace("\n", " ")) if p.strip()]
    return [p for p in parts if len(p) >= min_chars]


def note_captions(rec: Record) -> list[Caption]:
    """Note sentences as captions: each asserts this case (positive for the patient's images)."""
    case = sorted(c for c in rec.true if c.startswith("case:"))
    return [(s, frozenset(case), frozenset()) for s in note_sentences(rec.notes)]


def all_caption_texts() -> list[str]:
    texts = []
    for src in (FINDING_CAPTIONS, CONTEXT_CAPTIONS):
        for caps in src.values():
            texts += [c[0] for c in caps]
    return texts


def seeded(seed: int) -> random.Random:
    return random.Random(seed)


def load_splits() -> dict:
    """(source, file) -> "train" | "val", from tools/train/splits/*.csv."""
    out = {}
    for source in SOURCES:
        with open(SPLITS_DIR / f"{source}.csv", newline="") as f:
            for row in csv.DictReader(f):
                out[(source, row["file"])] = row["split"]
    return out
