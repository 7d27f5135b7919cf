"""The reader over every role description of ../shared/seeds/, against hand labels.

tests/roles/seed_labels.tsv holds, for each line of each description (as the split step cuts it),
the place the line belongs by what it is: title, department, summary, relations, area (a heading),
task, qualification, authority, kpi, note (cover, contents, document number, prose, plans) or pay.
tests/roles/seed_positions.tsv holds the posts each description describes.
"""

import re

import pytest

from apps.roles.reading import parse_document, split
from apps.roles.reading.classify import QUALIFICATIONS
from apps.roles.reading.model import PLACES
from apps.roles.reading.names import post_title, same_post
from apps.roles.reading.split import FIELD_WORDS, SECTION_WORDS
from tests.roles import seeds
from tests.roles.seeds import documents, expected_positions, labels

NOTES = {"note", "pay"}


@pytest.fixture(scope="module")
def described():
    docs = documents()
    expected = expected_positions()
    missing = set(expected) - set(docs)
    assert not missing, f"role descriptions missing from the seeds: {missing}"
    return {title: docs[title] for title in expected}


def test_the_seeds_are_read_next_to_the_repository_and_hold_the_role_descriptions(described):
    assert seeds.REPOSITORY.parent / "shared" / "seeds" / seeds.SEEDS.name == seeds.SEEDS
    assert len(described) == 14


def test_missing_seeds_fail_instead_of_skipping(monkeypatch, tmp_path):
    monkeypatch.setattr(seeds, "SEEDS", tmp_path / "absent.txt")
    with pytest.raises(FileNotFoundError):
        seeds.documents()


def test_each_description_gives_its_posts_with_the_right_titles(described):
    expected = expected_positions()
    for page, text in described.items():
        titles = [p.title for p in parse_document(text).positions]
        assert len(titles) == len(expected[page]), f"{page}: {titles}"
        for title, accepted in zip(titles, expected[page], strict=True):
            assert title in accepted, f"{page}: {title!r} is not one of {accepted}"


def test_the_labels_describe_the_lines_the_split_step_gives(described):
    """The labels follow the split: a changed split shows here first, not as a lower score."""
    all_labels = labels()
    for page, text in described.items():
        lines = [line.text for line in split(text)]
        starts = [start for _, start in all_labels[page]]
        assert len(lines) == len(starts), f"{page}: {len(lines)} lines, {len(starts)} labels"
        for line, start in zip(lines, starts, strict=True):
            assert line.startswith(start.strip()), f"{page}: {line[:40]!r} is not {start[:40]!r}"
        assert {place for place, _ in all_labels[page]} <= set(PLACES)


# Structure words are not content: a heading's words live on in the title, area or field it names.
STRUCTURE = re.compile(
    r"^(?:\d+|[一二三四五六七八九十]+|工作任务|职责[一二三四五六七八九十]+)|"
    r"(?:的)?(?:岗位职责表?|岗位说明书?|职位说明书?|目标责任书|部门工作规划)$|^(?:"
    + "|".join(sorted([*FIELD_WORDS, *SECTION_WORDS, *QUALIFICATIONS], key=len, reverse=True))
    + r")"
)


def _words(text: str) -> list[str]:
    words = re.split(r"[\s、，,。；;:：()（）?？\-·•【】\[\].．]+", text)
    return [w for w in (STRUCTURE.sub("", w) for w in words) if len(w) >= 2]


def test_every_line_lands_once_in_a_field_or_in_the_notes(described):
    for page, text in described.items():
        doc = parse_document(text)
        lines = split(text)
        assert sorted(p.line for p in doc.placements) == list(range(len(lines))), page
        for placement in doc.placements:
            position = doc.positions[placement.position]
            blob = re.sub(r"\s+", "", position.all_text())
            line = lines[placement.line].text
            if placement.place in ("title", "department"):  # the name it gives, without 某公司 / 岗位职责
                names = [n for n in (position.title, position.department) if n]
                named = post_title(re.sub(r"^[\d.、\s]+", "", line)) or line
                assert any(n in line.replace(" ", "") or same_post(n, named) for n in names), (
                    f"{page}: {line!r} names none of {names}"
                )
                continue
            for word in _words(line):
                assert word in blob, f"{page}: {word!r} of {line[:40]!r} is lost"


def test_at_least_97_percent_of_lines_land_in_the_field_they_belong_to(described):
    all_labels = labels()
    right = total = 0
    wrong = []
    for page, text in described.items():
        places = {p.line: p.place for p in parse_document(text).placements}
        for i, (label, start) in enumerate(all_labels[page]):
            total += 1
            got = places.get(i)
            if got == label or (got in NOTES and label in NOTES and got == label):
                right += 1
            else:
                wrong.append(f"{page} #{i} {start[:30]!r}: {got} instead of {label}")
    assert total >= 350
    assert right / total >= 0.97, "\n".join(wrong)
