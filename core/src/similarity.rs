//! Near-duplicate documents: a MinHash signature of a document's visible words at index time,
//! and clusters of documents whose signatures say their texts are nearly the same.
//!
//! - [`text_signature`]: [`SIGNATURE_LENGTH`] minimum hashes over the three-word shingles of a
//!   text's folded words, refusal-ground codes and redaction marks left out, so two copies of
//!   one e-mail redacted differently (or with their pages in another order) keep most shingles
//!   in common. Texts of fewer than [`MIN_WORDS`] words get no signature.
//! - [`estimated_similarity`]: the share of equal positions of two signatures, an unbiased
//!   estimate of the Jaccard similarity of the two shingle sets.
//! - [`duplicate_clusters`]: locality-sensitive hashing (bands of [`ROWS_PER_BAND`] rows)
//!   proposes pairs; those with an estimated similarity of at least [`DUPLICATE_THRESHOLD`]
//!   are joined strongest first when the two clusters' representatives agree too; a cluster is
//!   named by its smallest document id, so clusters are the same on every run over the same
//!   documents. The threshold was read from the tuning half of the judged pairs
//!   (`woo_fixtures::duplicates`): duplicates from 0.72 (one OCR copy at 0.61), letters of
//!   one template up to 0.69.
//!
//! The hash is FNV-1a mixed by splitmix64 per position: fixed here, so signatures written by one
//! build of the indexer compare with those of another.

use std::collections::HashMap;

use crate::analysis::fold;

/// Minimum hashes per signature.
pub const SIGNATURE_LENGTH: usize = 64;
/// Rows per LSH band: 16 bands of 4 rows propose pairs from a similarity of about 0.5.
pub const ROWS_PER_BAND: usize = 4;
/// Estimated similarity from which two documents are near-duplicates.
pub const DUPLICATE_THRESHOLD: f64 = 0.7;
/// Texts with fewer words get no signature (a cover page is not a duplicate of another).
pub const MIN_WORDS: usize = 25;
/// Words per shingle.
const SHINGLE_WORDS: usize = 3;

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn splitmix64(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

/// Whether a word is a redaction mark or a refusal-ground code (`5.1.2e`, `10.2.e`, `█████`,
/// `xxx`), which differ between two redactions of one text and say nothing of its content.
pub fn is_redaction_mark(word: &str) -> bool {
    let starts_with_digit = word.chars().next().is_some_and(|c| c.is_ascii_digit());
    if starts_with_digit && word.contains('.') {
        return true;
    }
    word.chars()
        .all(|c| matches!(c, '█' | '■' | '▇' | 'x' | '*' | '.' | '[' | ']'))
}

/// The folded words of a text that count for its signature.
fn signature_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '(' | ')' | '"'))
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric() && c != '█'))
        .filter(|word| !word.is_empty() && !is_redaction_mark(word))
        .map(fold)
        .filter(|word| word.chars().count() >= 2 || word.chars().all(|c| c.is_ascii_digit()))
        .collect()
}

/// The MinHash signature of a text (its pages joined); empty below [`MIN_WORDS`] words.
pub fn text_signature(text: &str) -> Vec<u32> {
    let words = signature_words(text);
    if words.len() < MIN_WORDS {
        return Vec::new();
    }
    let mut minimums = vec![u64::MAX; SIGNATURE_LENGTH];
    for shingle in words.windows(SHINGLE_WORDS) {
        let base = fnv1a(shingle.join(" ").as_bytes());
        for (position, minimum) in minimums.iter_mut().enumerate() {
            let hash = splitmix64(base ^ (position as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
            if hash < *minimum {
                *minimum = hash;
            }
        }
    }
    minimums
        .into_iter()
        .map(|hash| (hash >> 32) as u32)
        .collect()
}

/// The estimated Jaccard similarity of the shingle sets behind two signatures (0 when either
/// is empty or they differ in length).
pub fn estimated_similarity(first: &[u32], second: &[u32]) -> f64 {
    if first.is_empty() || first.len() != second.len() {
        return 0.0;
    }
    let equal = first.iter().zip(second).filter(|(a, b)| a == b).count();
    equal as f64 / first.len() as f64
}

fn find_root(parents: &mut [usize], mut item: usize) -> usize {
    while parents[item] != item {
        parents[item] = parents[parents[item]];
        item = parents[item];
    }
    item
}

/// Clusters of near-duplicates among `documents` (id, signature): for each document with at
/// least one near-duplicate, the cluster's name (the smallest id in it); `None` for the others.
/// Same order as `documents`.
///
/// Candidate pairs come from the LSH bands; they are joined strongest first (ties by id), and
/// two clusters are joined only when their representatives (smallest ids) are near-duplicates
/// too, so a chain of letters that each share a template with the next does not become one
/// cluster. The result does not depend on the order of `documents`.
pub fn duplicate_clusters(documents: &[(&str, &[u32])]) -> Vec<Option<String>> {
    let pairs = candidate_pairs(documents);
    let mut parents: Vec<usize> = (0..documents.len()).collect();
    let mut has_duplicate = vec![false; documents.len()];
    for (_, first, second) in pairs {
        let root_first = find_root(&mut parents, first);
        let root_second = find_root(&mut parents, second);
        if root_first == root_second {
            has_duplicate[first] = true;
            has_duplicate[second] = true;
            continue;
        }
        let representatives_agree =
            estimated_similarity(documents[root_first].1, documents[root_second].1)
                >= DUPLICATE_THRESHOLD;
        if !representatives_agree {
            continue;
        }
        has_duplicate[first] = true;
        has_duplicate[second] = true;
        // The root is the member with the smallest id: the cluster's name and representative.
        let (keep, join) = if documents[root_first].0 <= documents[root_second].0 {
            (root_first, root_second)
        } else {
            (root_second, root_first)
        };
        parents[join] = keep;
    }
    (0..documents.len())
        .map(|position| {
            if !has_duplicate[position] {
                return None;
            }
            let root = find_root(&mut parents, position);
            Some(documents[root].0.to_string())
        })
        .collect()
}

/// The pairs (similarity, first, second) that share an LSH band and reach
/// [`DUPLICATE_THRESHOLD`], strongest first, ties by the ids.
fn candidate_pairs(documents: &[(&str, &[u32])]) -> Vec<(f64, usize, usize)> {
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (position, (_, signature)) in documents.iter().enumerate() {
        if signature.len() != SIGNATURE_LENGTH {
            continue;
        }
        for (band, rows) in signature.chunks(ROWS_PER_BAND).enumerate() {
            let mut key = 0u64;
            for row in rows {
                key = splitmix64(key ^ u64::from(*row));
            }
            buckets.entry((band, key)).or_default().push(position);
        }
    }
    let mut seen: std::collections::HashSet<(usize, usize)> = Default::default();
    let mut pairs = Vec::new();
    for members in buckets.values() {
        for (index, &first) in members.iter().enumerate() {
            for &second in &members[index + 1..] {
                let key = (first.min(second), first.max(second));
                if !seen.insert(key) {
                    continue;
                }
                let similarity = estimated_similarity(documents[first].1, documents[second].1);
                if similarity >= DUPLICATE_THRESHOLD {
                    pairs.push((similarity, key.0, key.1));
                }
            }
        }
    }
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| documents[a.1].0.cmp(documents[b.1].0))
            .then_with(|| documents[a.2].0.cmp(documents[b.2].0))
    });
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIL: &str = "Van: Jan de Vries Aan: Petra Bakker Onderwerp: levering mondkapjes \
        Beste Petra, hierbij stuur ik je de offerte voor de levering van twee miljoen mondkapjes \
        van het type FFP2. De leverancier kan binnen drie weken leveren en vraagt een aanbetaling \
        van dertig procent. Graag hoor ik voor vrijdag of het ministerie akkoord gaat, want de \
        prijzen stijgen snel. Met vriendelijke groet, Jan";

    #[test]
    fn differently_redacted_copies_are_near_duplicates_and_other_texts_are_not() {
        let redacted = MAIL
            .replace("Jan de Vries", "5.1.2e")
            .replace("Petra Bakker", "5.1.2e")
            .replace("Beste Petra", "Beste 5.1.2e");
        let original = text_signature(MAIL);
        let copy = text_signature(&redacted);
        assert_eq!(original.len(), SIGNATURE_LENGTH);
        assert!(estimated_similarity(&original, &copy) >= DUPLICATE_THRESHOLD);
        let other = text_signature(
            "Van: Kees Aan: Anna Onderwerp: vergadering Beste Anna, de vergadering over het \
             stikstofbeleid van dinsdag is verplaatst naar donderdag in zaal vier. Neem de \
             stukken over de vergunningen mee en de planning van het programma. Tot dan, Kees",
        );
        assert!(estimated_similarity(&original, &other) < 0.2);
        assert!(text_signature("te kort").is_empty());
        let clusters = duplicate_clusters(&[("b", &original), ("a", &copy), ("c", &other)]);
        assert_eq!(
            clusters,
            [Some("a".to_string()), Some("a".to_string()), None]
        );
    }
}
