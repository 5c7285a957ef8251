#!/usr/bin/env python3
"""Regenerates compound-parts.txt: the bounded list of Dutch words a compound may be split into.

Usage: make_compound_parts.py TEXT_DIR [HUNSPELL_DIC] > compound-parts.txt

TEXT_DIR holds plain-text files (e.g. `pdftotext` output of ../shared/corpus); HUNSPELL_DIC is a
Hunspell dictionary (Debian hunspell-nl: /usr/share/hunspell/nl.dic). A part is a folded word of
4 to 20 letters that Hunspell knows and that occurs at least MIN_COUNT times in the texts; the
MAX_PARTS most frequent are kept, plus the SEED words (frequent Woo vocabulary) and minus the
EXCLUDED words (suffix-like words that would split ordinary words: persoon+lijk, over+heid).
Stdlib only; the output is sorted and deterministic for the same input.
"""
import collections
import os
import re
import sys
import unicodedata

MIN_COUNT = 2
MAX_PARTS = 12000
SEED = """
aanvraag aanvrager advies afspraak akkoord antwoord bedrijf beleid besluit bestuur bezwaar
bijlage brief budget college contract corona deal dossier document financien gemeente
gesprek inkoop klacht kosten levering maatregel melding ministerie mondkapje nota onderzoek
overleg personeel plan procedure raad rapport regeling regio subsidie toezicht uitvoering
verklaring verslag verzoek vergunning zorg zaak termijn betaling opdracht overeenkomst
informatie openbaarheid beslissing inventaris woning huur sport school jeugd energie
""".split()
EXCLUDED = """
heid lijk lijke baar bare schap ling lingen isch ische achtig tief tieve teit ment menten
tion sche ster sters aties atie eren ende iger igen ning ingen ting eerd eerde erend
heden rijk onder over mede voor door tegen mini pers best info form eken erin ring
""".split()
LINKED_ENDINGS = ("en", "s", "e")


def known(word, dictionary):
    if dictionary is None or word in dictionary:
        return True
    return any(word.endswith(end) and word[: -len(end)] in dictionary for end in LINKED_ENDINGS)


def base_form(word, dictionary):
    if dictionary is None or word in dictionary:
        return word
    for end in LINKED_ENDINGS:
        if word.endswith(end) and word[: -len(end)] in dictionary:
            return word[: -len(end)]
    return word


def pieces_of_compounds(counts, dictionary):
    """Dictionary words that occur as the head or tail of at least two corpus compounds
    (`toeslag` in `kinderopvangtoeslag`), though rarely alone."""
    seen = collections.Counter()
    for word in counts:
        if len(word) < 9 or not word.isascii() or dictionary is None:
            continue
        for cut in range(4, len(word) - 3):
            head, tail = word[:cut], word[cut:]
            if known(head, dictionary) and known(tail, dictionary):
                seen[base_form(head, dictionary)] += 1
                seen[base_form(tail, dictionary)] += 1
    return {piece for piece, count in seen.items() if count >= 2 and 4 <= len(piece) <= 20}


def fold(word):
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def hunspell_words(path):
    words = set()
    with open(path, encoding="utf-8", errors="replace") as dic:
        next(dic, None)
        for line in dic:
            word = line.split("/")[0].strip()
            if word.isalpha() and word.islower():
                words.add(fold(word))
    return words


def main():
    text_dir = sys.argv[1]
    dictionary = hunspell_words(sys.argv[2]) if len(sys.argv) > 2 else None
    counts = collections.Counter()
    for name in sorted(os.listdir(text_dir)):
        with open(os.path.join(text_dir, name), encoding="utf-8", errors="replace") as text:
            for word in re.findall(r"[^\W\d_]+", text.read()):
                counts[fold(word)] += 1
    candidates = [
        (count, word)
        for word, count in counts.items()
        if 4 <= len(word) <= 20
        and count >= MIN_COUNT
        and word.isascii()
        and (dictionary is None or word in dictionary)
        and word not in EXCLUDED
    ]
    candidates.sort(key=lambda pair: (-pair[0], pair[1]))
    parts = {word for _, word in candidates[:MAX_PARTS]}
    parts.update(pieces_of_compounds(counts, dictionary))
    parts.update(SEED)
    parts.difference_update(EXCLUDED)
    for word in sorted(parts):
        print(word)


if __name__ == "__main__":
    main()
