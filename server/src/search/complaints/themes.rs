//! Recurring themes of complaint judgements: tf-idf vectors of the judgements' folded,
//! stemmed words (subject, part subjects, summary, title), clustered by spherical k-means
//! (deterministic k-means++ seeding), clusters with nearly the same centroid merged and
//! clusters of fewer than [`MIN_THEME_SIZE`] judgements dropped. Computed once per document
//! table (at every reload), never per request.

use std::collections::HashMap;

use woo_core::analysis::{for_each_term, stem, AnalysisMode};

/// Most themes kept.
pub const MAX_THEMES: usize = 30;
/// A cluster needs this many judgements to be a theme.
pub const MIN_THEME_SIZE: usize = 3;
/// Top terms kept per theme.
pub const TERMS_PER_THEME: usize = 6;
/// Judgements the centroids are fitted on (a deterministic sample beyond it); every judgement
/// is then assigned to its nearest centroid.
const FIT_SAMPLE: usize = 6_000;
/// k-means rounds on the sample.
const ROUNDS: usize = 12;
/// Clusters whose centroids are at least this similar (cosine) are one theme.
const MERGE_SIMILARITY: f32 = 0.5;
/// A judgement is in its nearest theme only when at least this similar to its centroid.
const MIN_MEMBER_SIMILARITY: f32 = 0.05;
/// Terms in more than this share of the judgements say nothing about a theme.
const MAX_DOCUMENT_SHARE: f64 = 0.5;

/// Dutch function words (folded) left out of the vectors.
const STOP_WORDS: &[&str] = &[
    "aan", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "geen", "haar", "heb", "hebben", "heeft", "het", "hij", "hun", "ik", "in", "is", "kan",
    "kunnen", "maar", "met", "meer", "na", "naar", "niet", "nog", "of", "om", "ook", "op", "over",
    "te", "tot", "toe", "u", "uit", "uw", "van", "voor", "was", "wat", "wel", "werd", "wij",
    "worden", "wordt", "ze", "zich", "zij", "zijn", "zou", "zo", "onder", "tegen", "omdat",
    "waarin", "welke", "hem", "mij", "mijn", "ons", "onze", "hierover", "daarbij",
];

/// One theme: its top terms and its members, most typical first.
#[derive(Debug, Clone)]
pub struct Theme {
    /// The theme's name: its first three terms, `, `-joined (unique among the themes).
    pub label: String,
    /// Its top terms (the most common written form of each stem), heaviest first.
    pub terms: Vec<String>,
    /// Indexes (into the texts clustered) of its members, most similar to the centroid first.
    pub members: Vec<usize>,
}

/// The themes of `texts` (one per judgement) and each text's theme (index into the themes).
#[derive(Debug, Clone, Default)]
pub struct Themes {
    /// The themes, largest first.
    pub themes: Vec<Theme>,
    /// For each text, its theme.
    pub theme_of_text: Vec<Option<usize>>,
}

/// Sparse unit vector: (term, weight), terms ascending.
type Vector = Vec<(u32, f32)>;

/// The words of the texts as term ids, and for each term its most common written form.
struct Vocabulary {
    words_of_text: Vec<Vec<u32>>,
    shown_form: Vec<String>,
}

fn vocabulary(texts: &[String]) -> Vocabulary {
    let mut term_of_stem: HashMap<String, u32> = HashMap::new();
    let mut forms: Vec<HashMap<String, u32>> = Vec::new();
    let mut words_of_text = Vec::with_capacity(texts.len());
    for text in texts {
        let mut words = Vec::new();
        for_each_term(text, AnalysisMode::Exact, |_, _, folded| {
            let folded = folded.as_ref();
            let useful = folded.chars().count() >= 3
                && folded.chars().all(char::is_alphabetic)
                && !STOP_WORDS.contains(&folded);
            if !useful {
                return;
            }
            let stemmed = stem(folded);
            let next = term_of_stem.len() as u32;
            let term = *term_of_stem.entry(stemmed).or_insert(next);
            if term as usize == forms.len() {
                forms.push(HashMap::new());
            }
            *forms[term as usize].entry(folded.to_string()).or_default() += 1;
            words.push(term);
        });
        words_of_text.push(words);
    }
    let shown_form = forms
        .into_iter()
        .map(|counts| {
            counts
                .into_iter()
                .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                .map(|(form, _)| form)
                .unwrap_or_default()
        })
        .collect();
    Vocabulary {
        words_of_text,
        shown_form,
    }
}

/// tf-idf unit vectors (tf as 1 + ln count), terms in 2 or more texts and at most
/// [`MAX_DOCUMENT_SHARE`] of them.
fn tf_idf_vectors(words_of_text: &[Vec<u32>], terms: usize) -> Vec<Vector> {
    let mut document_frequency = vec![0usize; terms];
    let counted: Vec<Vec<(u32, usize)>> = words_of_text
        .iter()
        .map(|words| {
            let mut sorted = words.clone();
            sorted.sort_unstable();
            let mut counts: Vec<(u32, usize)> = Vec::new();
            for term in sorted {
                match counts.last_mut() {
                    Some((last, count)) if *last == term => *count += 1,
                    _ => counts.push((term, 1)),
                }
            }
            for (term, _) in &counts {
                document_frequency[*term as usize] += 1;
            }
            counts
        })
        .collect();
    let texts = words_of_text.len() as f64;
    let max_frequency = (texts * MAX_DOCUMENT_SHARE).max(2.0);
    counted
        .into_iter()
        .map(|counts| {
            let vector: Vector = counts
                .into_iter()
                .filter(|(term, _)| {
                    let frequency = document_frequency[*term as usize] as f64;
                    frequency >= 2.0 && frequency <= max_frequency
                })
                .map(|(term, count)| {
                    let idf = (texts / document_frequency[term as usize] as f64).ln();
                    (term, ((1.0 + (count as f64).ln()) * idf) as f32)
                })
                .collect();
            normalised(vector)
        })
        .collect()
}

fn normalised(mut vector: Vector) -> Vector {
    let length: f32 = vector
        .iter()
        .map(|(_, weight)| weight * weight)
        .sum::<f32>()
        .sqrt();
    if length > 0.0 {
        for (_, weight) in &mut vector {
            *weight /= length;
        }
    }
    vector
}

fn dot(vector: &Vector, dense: &[f32]) -> f32 {
    vector
        .iter()
        .map(|&(term, weight)| weight * dense[term as usize])
        .sum()
}

/// A small deterministic generator (splitmix64) for the seeding and the sample.
struct SplitMix(u64);

impl SplitMix {
    fn next_unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The number of clusters k-means starts from: about √(n/2), 2..=[`MAX_THEMES`].
fn cluster_count(vectors: usize) -> usize {
    (((vectors as f64) / 2.0).sqrt().ceil() as usize).clamp(2, MAX_THEMES)
}

/// k-means++ seeds (squared cosine distance), deterministic.
fn seed_centroids(
    sample: &[&Vector],
    k: usize,
    terms: usize,
    random: &mut SplitMix,
) -> Vec<Vec<f32>> {
    let mut centroids: Vec<Vec<f32>> = Vec::new();
    let dense = |vector: &Vector| {
        let mut centroid = vec![0f32; terms];
        for &(term, weight) in vector {
            centroid[term as usize] = weight;
        }
        centroid
    };
    let first = (random.next_unit() * sample.len() as f64) as usize;
    centroids.push(dense(sample[first.min(sample.len() - 1)]));
    let mut nearest: Vec<f64> = vec![f64::MAX; sample.len()];
    while centroids.len() < k {
        let newest = centroids.last().map(Vec::as_slice).unwrap_or_default();
        let mut total = 0.0;
        for (distance, vector) in nearest.iter_mut().zip(sample) {
            let far = (1.0 - dot(vector, newest) as f64).max(0.0);
            *distance = distance.min(far * far);
            total += *distance;
        }
        if total <= 0.0 {
            break;
        }
        let mut target = random.next_unit() * total;
        let mut chosen = sample.len() - 1;
        for (index, distance) in nearest.iter().enumerate() {
            target -= distance;
            if target <= 0.0 {
                chosen = index;
                break;
            }
        }
        centroids.push(dense(sample[chosen]));
    }
    centroids
}

/// The nearest centroid of a vector and its similarity.
fn nearest_centroid(vector: &Vector, centroids: &[Vec<f32>]) -> (usize, f32) {
    let mut best = (0, f32::MIN);
    for (index, centroid) in centroids.iter().enumerate() {
        let similarity = dot(vector, centroid);
        if similarity > best.1 {
            best = (index, similarity);
        }
    }
    best
}

/// Spherical k-means rounds on `sample` from `centroids`.
fn fit_centroids(sample: &[&Vector], mut centroids: Vec<Vec<f32>>, terms: usize) -> Vec<Vec<f32>> {
    for _ in 0..ROUNDS {
        let mut sums = vec![vec![0f32; terms]; centroids.len()];
        let mut changed = false;
        for vector in sample {
            let (cluster, _) = nearest_centroid(vector, &centroids);
            for &(term, weight) in vector.iter() {
                sums[cluster][term as usize] += weight;
            }
        }
        for (centroid, sum) in centroids.iter_mut().zip(sums) {
            let length: f32 = sum.iter().map(|weight| weight * weight).sum::<f32>().sqrt();
            if length == 0.0 {
                continue;
            }
            let next: Vec<f32> = sum.iter().map(|weight| weight / length).collect();
            changed |= next != *centroid;
            *centroid = next;
        }
        if !changed {
            break;
        }
    }
    centroids
}

/// Merges centroids at least [`MERGE_SIMILARITY`] alike (the later into the earlier).
fn merge_similar(centroids: Vec<Vec<f32>>) -> Vec<Vec<f32>> {
    let mut kept: Vec<Vec<f32>> = Vec::new();
    for centroid in centroids {
        let similar = kept.iter_mut().find(|other| {
            let similarity: f32 = other.iter().zip(&centroid).map(|(a, b)| a * b).sum();
            similarity >= MERGE_SIMILARITY
        });
        match similar {
            Some(other) => {
                let sum: Vec<f32> = other.iter().zip(&centroid).map(|(a, b)| a + b).collect();
                let length: f32 = sum.iter().map(|weight| weight * weight).sum::<f32>().sqrt();
                *other = sum
                    .iter()
                    .map(|weight| weight / length.max(f32::MIN_POSITIVE))
                    .collect();
            }
            None => kept.push(centroid),
        }
    }
    kept
}

/// A cluster's members (text, similarity to the centroid) and its centroid.
type Cluster<'a> = (Vec<(usize, f32)>, &'a Vec<f32>);

/// Clusters `texts` into themes (see the module documentation). Deterministic: the same texts
/// in the same order give the same themes.
pub fn find_themes(texts: &[String]) -> Themes {
    let vocabulary = vocabulary(texts);
    let terms = vocabulary.shown_form.len();
    let vectors = tf_idf_vectors(&vocabulary.words_of_text, terms);
    let usable: Vec<usize> = (0..vectors.len())
        .filter(|&i| !vectors[i].is_empty())
        .collect();
    let mut themes = Themes {
        themes: Vec::new(),
        theme_of_text: vec![None; texts.len()],
    };
    if usable.len() < MIN_THEME_SIZE {
        return themes;
    }
    let mut random = SplitMix(0x05EE_D0F7_E3E5);
    let step = usable.len().div_ceil(FIT_SAMPLE);
    let sample: Vec<&Vector> = usable.iter().step_by(step).map(|&i| &vectors[i]).collect();
    let seeds = seed_centroids(&sample, cluster_count(usable.len()), terms, &mut random);
    let centroids = merge_similar(fit_centroids(&sample, seeds, terms));
    let mut members: Vec<Vec<(usize, f32)>> = vec![Vec::new(); centroids.len()];
    for &text in &usable {
        let (cluster, similarity) = nearest_centroid(&vectors[text], &centroids);
        if similarity >= MIN_MEMBER_SIMILARITY {
            members[cluster].push((text, similarity));
        }
    }
    let mut clusters: Vec<Cluster> = members
        .into_iter()
        .zip(&centroids)
        .filter(|(members, _)| members.len() >= MIN_THEME_SIZE)
        .collect();
    clusters.sort_by_key(|cluster| std::cmp::Reverse(cluster.0.len()));
    clusters.truncate(MAX_THEMES);
    for (mut cluster_members, centroid) in clusters {
        cluster_members.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let theme_terms = top_terms(centroid, &vocabulary.shown_form);
        let label = unique_label(&theme_terms, &themes.themes);
        let index = themes.themes.len();
        for &(text, _) in &cluster_members {
            themes.theme_of_text[text] = Some(index);
        }
        themes.themes.push(Theme {
            label,
            terms: theme_terms,
            members: cluster_members.into_iter().map(|(text, _)| text).collect(),
        });
    }
    themes
}

/// The heaviest [`TERMS_PER_THEME`] terms of a centroid, as written.
fn top_terms(centroid: &[f32], shown_form: &[String]) -> Vec<String> {
    let mut weighted: Vec<(usize, f32)> = centroid
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, weight)| *weight > 0.0)
        .collect();
    weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    weighted
        .into_iter()
        .take(TERMS_PER_THEME)
        .map(|(term, _)| shown_form[term].clone())
        .collect()
}

/// The first three terms, `, `-joined, numbered when another theme has the same label.
fn unique_label(terms: &[String], themes: &[Theme]) -> String {
    let base = terms.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    let mut label = base.clone();
    let mut number = 2;
    while themes.iter().any(|theme| theme.label == label) {
        label = format!("{base} ({number})");
        number += 1;
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Judgements of three planted themes (each a random pick of its own words among shared
    /// complaint words) and some unrelated ones.
    fn planted_texts() -> (Vec<String>, Vec<Option<usize>>) {
        let themes: [&[&str]; 3] = [
            &[
                "parkeervergunning",
                "parkeerplaats",
                "bewonersvergunning",
                "wachtlijst",
                "kenteken",
            ],
            &[
                "afvalcontainer",
                "huisvuil",
                "ophaaldienst",
                "grofvuil",
                "milieupas",
            ],
            &[
                "uitkering",
                "bijstand",
                "terugvordering",
                "inkomen",
                "participatiewet",
            ],
        ];
        let shared = [
            "klacht",
            "gemeente",
            "medewerker",
            "brief",
            "afhandeling",
            "telefonisch",
        ];
        let mut random = SplitMix(7);
        let mut texts = Vec::new();
        let mut planted = Vec::new();
        for round in 0..14 {
            for (theme, words) in themes.iter().enumerate() {
                let mut text = String::new();
                for word in words.iter().chain(shared.iter()) {
                    if random.next_unit() < 0.6 {
                        text.push_str(word);
                        text.push(' ');
                    }
                }
                text.push_str(words[round % words.len()]);
                texts.push(text);
                planted.push(Some(theme));
            }
        }
        for noise in [
            "subsidie evenement",
            "bomen kap",
            "zwembad openingstijden",
            "paspoort",
        ] {
            texts.push(format!("{noise} klacht"));
            planted.push(None);
        }
        (texts, planted)
    }

    #[test]
    fn planted_themes_are_found_with_their_terms() {
        let (texts, planted) = planted_texts();
        let found = find_themes(&texts);
        let planted_words = ["parkeer", "afval", "bijstand"];
        for (theme, word) in planted_words.iter().enumerate() {
            let members: Vec<usize> = (0..texts.len())
                .filter(|&i| planted[i] == Some(theme))
                .collect();
            let mut counts: HashMap<Option<usize>, usize> = HashMap::new();
            for &member in &members {
                *counts.entry(found.theme_of_text[member]).or_default() += 1;
            }
            let (&found_theme, &together) = counts.iter().max_by_key(|(_, count)| **count).unwrap();
            let found_theme = found_theme.expect("a planted theme is a theme");
            assert!(
                together * 10 >= members.len() * 9,
                "theme {word}: {counts:?}"
            );
            let cluster = &found.themes[found_theme];
            let pure = cluster
                .members
                .iter()
                .filter(|&&m| planted[m] == Some(theme))
                .count();
            assert!(
                pure * 10 >= cluster.members.len() * 9,
                "{:?}",
                cluster.terms
            );
            assert!(
                cluster
                    .terms
                    .iter()
                    .take(5)
                    .any(|term| term.contains(word) || planted_in(term, theme)),
                "theme {word} has terms {:?}",
                cluster.terms
            );
            assert!(
                !cluster.terms.iter().any(|term| term == "klacht"),
                "{:?}",
                cluster.terms
            );
        }
        assert_eq!(
            found.themes.len(),
            3,
            "{:?}",
            found.themes.iter().map(|t| &t.label).collect::<Vec<_>>()
        );
        // The same texts give the same themes.
        let again = find_themes(&texts);
        assert_eq!(again.theme_of_text, found.theme_of_text);
    }

    fn planted_in(term: &str, theme: usize) -> bool {
        let words: [&[&str]; 3] = [
            &[
                "parkeervergunning",
                "parkeerplaats",
                "bewonersvergunning",
                "wachtlijst",
                "kenteken",
            ],
            &[
                "afvalcontainer",
                "huisvuil",
                "ophaaldienst",
                "grofvuil",
                "milieupas",
            ],
            &[
                "uitkering",
                "bijstand",
                "terugvordering",
                "inkomen",
                "participatiewet",
            ],
        ];
        words[theme].contains(&term)
    }

    #[test]
    fn too_few_texts_make_no_theme() {
        let found = find_themes(&["een klacht".to_string(), "nog een".to_string()]);
        assert!(found.themes.is_empty());
        assert_eq!(found.theme_of_text, vec![None, None]);
    }
}
