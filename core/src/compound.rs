//! Dutch compound splitting: `klachtenregeling` -> `klacht` + `regeling`.
//!
//! Dutch writes compounds as one word, so a query for `klacht` misses `klachtenregeling`. This
//! module splits a folded word into parts taken from a bounded list of frequent Dutch and Woo
//! words (`data/compound-parts.txt`, made by `data/make_compound_parts.py` from the corpus
//! vocabulary and the Hunspell Dutch word list; see `data/README.md`). The parts go into a field
//! of their own (`text_parts`, no positions), so phrases stay exact on the original words and
//! a compound-part match can rank below an exact one.
//!
//! Rules: only words of letters a–z of at least [`MIN_COMPOUND_CHARS`] are split; every part has
//! at least [`MIN_PART_CHARS`] letters and is in the list; between two parts a linking `s`, `en`
//! or `e` may stand (`mondkapje-s-deal`, `klacht-en-regeling`); the last part may carry a plural
//! or inflection ending (`-en`, `-s`, `-e`). Of all splits the one with the fewest parts wins
//! (then the one with the longest first part), found by dynamic programming over the letters:
//! at most a few hundred set lookups per word and no allocation but the result.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The part list, one folded word per line.
const PART_LIST: &str = include_str!("../data/compound-parts.txt");

/// Shortest word that is tried.
pub const MIN_COMPOUND_CHARS: usize = 8;
/// Shortest part.
pub const MIN_PART_CHARS: usize = 4;
/// Longest word that is tried (longer tokens are not words).
const MAX_COMPOUND_CHARS: usize = 48;
/// Linking morphemes allowed between parts, longest first.
const LINKERS: &[&str] = &["en", "s", "e"];
/// Endings allowed after the last part.
const LAST_PART_ENDINGS: &[&str] = &["en", "s", "e"];

/// The part set, built once from [`PART_LIST`].
fn part_set() -> &'static HashSet<&'static str> {
    static PARTS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    PARTS.get_or_init(|| {
        PART_LIST
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    })
}

/// Whether `word` is a known part.
fn is_part(word: &str) -> bool {
    word.len() >= MIN_PART_CHARS && part_set().contains(word)
}

/// Whether `word` is a known part, possibly with an inflection ending.
fn is_last_part(word: &str) -> bool {
    if is_part(word) {
        return true;
    }
    for ending in LAST_PART_ENDINGS {
        if let Some(stem) = word.strip_suffix(ending) {
            if is_part(stem) {
                return true;
            }
        }
    }
    false
}

/// Splits a folded lowercase word into its parts (slices of `word`, without linking letters),
/// or returns `None` when it is not a compound of known parts.
pub fn split_compound(word: &str) -> Option<Vec<&str>> {
    let length = word.len();
    if !(MIN_COMPOUND_CHARS..=MAX_COMPOUND_CHARS).contains(&length)
        || !word.bytes().all(|byte| byte.is_ascii_lowercase())
    {
        return None;
    }
    // best[i]: (parts needed to cover word[..i], where the last part started, where it ended),
    // for positions i where a new part may start.
    let mut best: [Option<(usize, usize, usize)>; MAX_COMPOUND_CHARS + 1] =
        [None; MAX_COMPOUND_CHARS + 1];
    best[0] = Some((0, 0, 0));
    let mut final_split: Option<(usize, usize)> = None; // (parts, start of the last part)
    for start in 0..length {
        let Some((parts_so_far, _, _)) = best[start] else {
            continue;
        };
        // The last part: the rest of the word.
        if start > 0 && is_last_part(&word[start..]) {
            let parts = parts_so_far + 1;
            if final_split.is_none_or(|(known, _)| parts < known) {
                final_split = Some((parts, start));
            }
        }
        // An inner part word[start..end], followed by an optional linker.
        for end in (start + MIN_PART_CHARS)..length {
            if !is_part(&word[start..end]) {
                continue;
            }
            let mut next_starts = [end, end, end, end];
            for (slot, linker) in LINKERS.iter().enumerate() {
                if word[end..].starts_with(linker) {
                    next_starts[slot + 1] = end + linker.len();
                }
            }
            for next in next_starts {
                if next >= length {
                    continue;
                }
                let candidate = (parts_so_far + 1, start, end);
                let better = match best[next] {
                    None => true,
                    Some((known_parts, _, _)) => candidate.0 < known_parts,
                };
                if better {
                    best[next] = Some(candidate);
                }
            }
        }
    }
    let (_, last_start) = final_split?;
    let mut parts = vec![&word[last_start..]];
    let mut cursor = last_start;
    while cursor > 0 {
        let (_, part_start, part_end) = best[cursor]?;
        parts.push(&word[part_start..part_end]);
        cursor = part_start;
    }
    parts.reverse();
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(word: &str) -> Option<Vec<&str>> {
        split_compound(word)
    }

    #[test]
    fn woo_compounds_split_with_linking_letters() {
        assert_eq!(
            split("klachtenregeling").unwrap(),
            vec!["klacht", "regeling"]
        );
        assert_eq!(split("mondkapjesdeal").unwrap(), vec!["mondkapje", "deal"]);
        assert_eq!(
            split("subsidieaanvraag").unwrap(),
            vec!["subsidie", "aanvraag"]
        );
    }

    #[test]
    fn the_last_part_may_be_inflected() {
        assert_eq!(
            split("klachtenregelingen").unwrap(),
            vec!["klacht", "regelingen"]
        );
    }

    #[test]
    fn ordinary_words_do_not_split() {
        for word in [
            "regeling",
            "persoonlijk",
            "persoonlijke",
            "overheid",
            "minister",
            "bestuur",
            "gemeente",
            "gemeenten",
            "informatie",
            "verzoek",
            "bestemming",
            "financiele",
        ] {
            assert_eq!(split(word), None, "{word} must not split");
        }
    }

    #[test]
    fn only_plain_lowercase_words_of_some_length_are_tried() {
        assert_eq!(split("deal"), None);
        assert_eq!(split("5.1.2e"), None);
        assert_eq!(split(&"klacht".repeat(20)), None);
    }

    #[test]
    fn the_part_list_is_bounded_and_clean() {
        let parts = part_set();
        assert!(
            parts.len() > 1_000 && parts.len() < 10_000,
            "{}",
            parts.len()
        );
        assert!(parts.iter().all(|part| part.len() >= MIN_PART_CHARS));
        assert!(parts
            .iter()
            .all(|part| part.bytes().all(|b| b.is_ascii_lowercase())));
    }
}
