//! A synthetic collection at ministry scale for benchmarks: real page texts recombined into
//! synthetic publications with realistic metadata, written as text-page files ([`crate::pages`]).
//!
//! `woo scale-corpus --corpus DIR --pages N --seed S OUT` runs [`write_scale_corpus`]:
//! - the source texts are the pages of the PDFs under `DIR` (the real corpus), extracted once
//!   with the project's own extractor ([`extract_source_texts`]; cached in
//!   `OUT/source-texts.json`);
//! - every synthetic page takes the length of a random real page and is filled with runs of
//!   consecutive sentences of real pages, jumping to another page now and then; digits are
//!   redrawn in a third of the sentences and one word in 200 gets an OCR-like typo, so the
//!   vocabulary keeps growing with the collection as a real one does;
//! - pages are grouped into documents (a decision letter first, then e-mails, notes, reports…
//!   of 1–40 pages) and documents into publications of one of 40 bodies, with an information
//!   category, dates 2016–2026, judgements and refusal grounds (with stamps on the pages of
//!   partly disclosed documents);
//! - everything is drawn from one ChaCha8 generator seeded with `seed`: the same seed, source
//!   texts and page count give the same files, byte for byte;
//! - files `OUT/scale-0000.pages.jsonl`, … hold up to [`PAGES_PER_FILE`] pages each.

use std::io::Write;
use std::path::{Path, PathBuf};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{IndexerError, Result};
use crate::pages::PageRecord;
use crate::pdf::PdfLimits;

/// Pages per output file at most.
pub const PAGES_PER_FILE: usize = 50_000;
/// Name of the cache of extracted source texts in the output folder.
pub const SOURCE_CACHE: &str = "source-texts.json";
/// Real pages with fewer characters than this are not used as sources.
const MIN_SOURCE_PAGE_CHARS: usize = 200;

/// What to generate.
#[derive(Debug, Clone)]
pub struct ScaleOptions {
    /// Total number of pages.
    pub pages: usize,
    /// Seed of the random generator.
    pub seed: u64,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct ScaleSummary {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Publications.
    pub publications: usize,
    /// Documents.
    pub documents: usize,
    /// Pages.
    pub pages: usize,
    /// Bytes of page text.
    pub text_bytes: u64,
}

/// Sentences of the real pages, in page order, and the lengths of those pages.
#[derive(Debug, Clone, Default)]
pub struct SourceTexts {
    sentences: Vec<String>,
    page_lengths: Vec<usize>,
}

impl SourceTexts {
    /// Splits real page texts into sentences (pages shorter than 200 characters are skipped).
    pub fn from_pages<I: IntoIterator<Item = String>>(pages: I) -> SourceTexts {
        let mut source = SourceTexts::default();
        for page in pages {
            let length = page.chars().count();
            if length < MIN_SOURCE_PAGE_CHARS {
                continue;
            }
            let before = source.sentences.len();
            source.sentences.extend(split_sentences(&page));
            if source.sentences.len() > before {
                source.page_lengths.push(length);
            }
        }
        source
    }

    /// Number of sentences.
    pub fn sentence_count(&self) -> usize {
        self.sentences.len()
    }

    /// Number of source pages.
    pub fn page_count(&self) -> usize {
        self.page_lengths.len()
    }
}

/// Sentences of a text: split after `.`, `?`, `!` followed by white space, and at blank lines;
/// pieces with fewer than three words are dropped, white space is collapsed except newlines.
pub fn split_sentences(text: &str) -> Vec<String> {
    let mut sentences = Vec::new();
    let mut current = String::new();
    let mut previous = ' ';
    let mut finish = |current: &mut String| {
        let trimmed = current.trim();
        if trimmed.split_whitespace().count() >= 3 {
            sentences.push(trimmed.to_string());
        }
        current.clear();
    };
    for character in text.chars() {
        let ends_sentence = matches!(previous, '.' | '?' | '!') && character.is_whitespace();
        let blank_line = previous == '\n' && character == '\n';
        if ends_sentence || blank_line {
            finish(&mut current);
        } else if character.is_whitespace() {
            if !current.ends_with([' ', '\n']) {
                current.push(if character == '\n' { '\n' } else { ' ' });
            }
        } else {
            current.push(character);
        }
        previous = character;
    }
    finish(&mut current);
    sentences
}

/// Extracts the text of every PDF under `dir` with the project's extractor (in
/// `woo extract-worker` children when `worker` is given), pages of 200+ characters only.
pub fn extract_source_texts(dir: &Path, worker: Option<&PathBuf>) -> Result<Vec<String>> {
    use rayon::prelude::*;
    let mut pdfs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|error| IndexerError::Io(std::io::Error::other(error)))?;
        let is_pdf = entry
            .path()
            .extension()
            .is_some_and(|extension| extension.eq_ignore_ascii_case("pdf"));
        if entry.file_type().is_file() && is_pdf {
            pdfs.push(entry.path().to_path_buf());
        }
    }
    if pdfs.is_empty() {
        return Err(IndexerError::IndexDirectory {
            path: dir.to_path_buf(),
            reason: "no PDF files to take page texts from".to_string(),
        });
    }
    let limits = PdfLimits::default();
    let per_file: Vec<Vec<String>> = pdfs
        .par_iter()
        .map(|path| {
            let Ok(bytes) = std::fs::read(path) else {
                return Vec::new();
            };
            let name = path.to_string_lossy();
            let answer = crate::worker::extract_isolated(worker, &name, &bytes, &limits);
            answer
                .pdf
                .map(|pdf| {
                    pdf.pages
                        .into_iter()
                        .map(|page| page.text)
                        .filter(|text| text.chars().count() >= MIN_SOURCE_PAGE_CHARS)
                        .collect()
                })
                .unwrap_or_default()
        })
        .collect();
    Ok(per_file.into_iter().flatten().collect())
}

/// The source texts for `OUT`: read from `OUT/source-texts.json` when present, else extracted
/// from `corpus` and saved there.
pub fn load_or_extract_source_texts(
    corpus: &Path,
    out: &Path,
    worker: Option<&PathBuf>,
) -> Result<Vec<String>> {
    let cache = out.join(SOURCE_CACHE);
    if let Ok(text) = std::fs::read_to_string(&cache) {
        if let Ok(pages) = serde_json::from_str::<Vec<String>>(&text) {
            return Ok(pages);
        }
    }
    let pages = extract_source_texts(corpus, worker)?;
    std::fs::create_dir_all(out)?;
    let json = serde_json::to_string(&pages).map_err(std::io::Error::other)?;
    std::fs::write(&cache, json)?;
    Ok(pages)
}

/// Publishing bodies, with the code used in their ids and their relative weight.
const PUBLISHERS: &[(&str, &str, u32)] = &[
    (
        "Ministerie van Volksgezondheid, Welzijn en Sport",
        "VWS",
        30,
    ),
    (
        "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
        "BZK",
        20,
    ),
    ("Ministerie van Justitie en Veiligheid", "JenV", 20),
    ("Ministerie van Financiën", "FIN", 15),
    ("Ministerie van Economische Zaken en Klimaat", "EZK", 15),
    ("Ministerie van Infrastructuur en Waterstaat", "IenW", 15),
    ("Ministerie van Onderwijs, Cultuur en Wetenschap", "OCW", 10),
    ("Ministerie van Sociale Zaken en Werkgelegenheid", "SZW", 10),
    ("Ministerie van Buitenlandse Zaken", "BZ", 10),
    ("Ministerie van Defensie", "DEF", 8),
    (
        "Ministerie van Landbouw, Natuur en Voedselkwaliteit",
        "LNV",
        10,
    ),
    ("Ministerie van Algemene Zaken", "AZ", 5),
    ("Gemeente Amsterdam", "AMS", 12),
    ("Gemeente Rotterdam", "RTD", 10),
    ("Gemeente Den Haag", "DHG", 8),
    ("Gemeente Utrecht", "UTR", 8),
    ("Gemeente Eindhoven", "EHV", 4),
    ("Gemeente Groningen", "GRN", 4),
    ("Gemeente Heerlen", "HRL", 3),
    ("Gemeente Tilburg", "TLB", 3),
    ("Gemeente Nijmegen", "NMG", 3),
    ("Gemeente Zwolle", "ZWL", 2),
    ("Gemeente Enschede", "ENS", 2),
    ("Gemeente Leeuwarden", "LWD", 2),
    ("Provincie Noord-Holland", "PNH", 3),
    ("Provincie Zuid-Holland", "PZH", 3),
    ("Provincie Gelderland", "PGLD", 3),
    ("Provincie Noord-Brabant", "PNB", 3),
    ("Provincie Limburg", "PLB", 2),
    ("Provincie Groningen", "PGR", 2),
    ("Rijkswaterstaat", "RWS", 5),
    ("Belastingdienst", "BD", 4),
    ("Dienst Toeslagen", "DT", 4),
    ("Nederlandse Voedsel- en Warenautoriteit", "NVWA", 3),
    ("Autoriteit Persoonsgegevens", "AP", 2),
    ("Rijksinstituut voor Volksgezondheid en Milieu", "RIVM", 4),
    ("Centraal Bureau voor de Statistiek", "CBS", 1),
    ("Staatstoezicht op de Mijnen", "SodM", 2),
    ("Politie", "POL", 3),
    ("Waterschap Rivierenland", "WSRL", 1),
];

/// Information categories of art. 3.3 Woo with relative weights (Woo-besluiten dominate).
const CATEGORIES: &[(&str, u32)] = &[
    ("2i", 50),
    ("2a", 6),
    ("2b", 6),
    ("2c", 4),
    ("2d", 4),
    ("2e", 4),
    ("2f", 3),
    ("2g", 3),
    ("2h", 3),
    ("2j", 3),
    ("2k", 4),
    ("1a", 2),
    ("1d", 2),
    ("1e", 2),
    ("1c", 2),
];

/// Subjects of requests, used in titles and summaries.
const TOPICS: &[&str] = &[
    "mondkapjes",
    "coronamelder",
    "stikstof",
    "de toeslagenaffaire",
    "Groningen gaswinning",
    "jeugdzorg",
    "asielopvang",
    "windparken op zee",
    "de vaccinatiecampagne",
    "Schiphol",
    "de woningbouwopgave",
    "de energietoeslag",
    "de Omgevingswet",
    "de opvang van Oekraïense vluchtelingen",
    "PFAS",
    "de tweede Maasvlakte",
    "de sluiting van Tata Steel",
    "het klimaatakkoord",
    "de inkoop van beademingsapparatuur",
    "het testbeleid",
    "de Lelylijn",
    "de hersteloperatie",
    "datalekken",
    "het nationaal groeifonds",
    "de verkeersveiligheid",
    "de parkeervergunningen",
    "de subsidieregeling",
    "de aanbesteding van ICT",
    "de zorgkosten",
    "de huisvesting van arbeidsmigranten",
];

/// Document types after the decision letter, with relative weights.
const DOCUMENT_TYPES: &[(&str, &str, u32)] = &[
    ("e-mail", "E-mail over", 40),
    ("nota", "Nota over", 12),
    ("brief", "Brief over", 10),
    ("verslag", "Verslag van overleg over", 8),
    ("memo", "Memo over", 8),
    ("bijlage", "Bijlage bij stukken over", 8),
    ("advies", "Advies over", 5),
    ("presentatie", "Presentatie over", 4),
    ("chatbericht", "Chatberichten over", 5),
];

/// Refusal grounds with relative weights (5.1.2e, privacy, is by far the most frequent).
const GROUNDS: &[(&str, u32)] = &[
    ("5.1.2e", 60),
    ("5.1.2i", 12),
    ("5.2", 10),
    ("5.1.1c", 5),
    ("5.1.2a", 3),
    ("5.1.2c", 3),
    ("5.1.2d", 2),
    ("5.1.1d", 2),
    ("5.1.2f", 2),
    ("5.1.2h", 1),
];

const MONTHS: &[&str] = &[
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

fn pick_weighted<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut ticket = rng.random_range(0..total);
    for item in items {
        let item_weight = weight(item);
        if ticket < item_weight {
            return item;
        }
        ticket -= item_weight;
    }
    &items[items.len() - 1]
}

/// A date between 2016-01-01 and 2026-06-30, later years more likely (the Woo took effect in
/// 2022 and publication volumes grew): `(year, month, day)`.
fn draw_date(rng: &mut ChaCha8Rng) -> (i32, u32, u32) {
    let year_weights: &[(i32, u32)] = &[
        (2016, 3),
        (2017, 3),
        (2018, 4),
        (2019, 5),
        (2020, 7),
        (2021, 9),
        (2022, 12),
        (2023, 16),
        (2024, 18),
        (2025, 16),
        (2026, 7),
    ];
    let year = pick_weighted(rng, year_weights, |item| item.1).0;
    let month = if year == 2026 {
        rng.random_range(1..=6)
    } else {
        rng.random_range(1..=12)
    };
    let day = rng.random_range(1..=28);
    (year, month, day)
}

fn iso(date: (i32, u32, u32)) -> String {
    format!("{:04}-{:02}-{:02}", date.0, date.1, date.2)
}

fn written(date: (i32, u32, u32)) -> String {
    format!("{} {} {}", date.2, MONTHS[date.1 as usize - 1], date.0)
}

/// A date some weeks before `date` (the request date of a decision).
fn weeks_before(rng: &mut ChaCha8Rng, date: (i32, u32, u32)) -> (i32, u32, u32) {
    let months_back = rng.random_range(1..=5u32);
    let mut year = date.0;
    let mut month = date.1 as i32 - months_back as i32;
    while month < 1 {
        month += 12;
        year -= 1;
    }
    (year, month as u32, rng.random_range(1..=28))
}

/// Generates pages from the source sentences.
struct PageMaker<'a> {
    source: &'a SourceTexts,
    rng: ChaCha8Rng,
}

impl PageMaker<'_> {
    /// One page: the length of a random real page, filled with runs of consecutive sentences.
    fn page(&mut self, stamps: &[&str]) -> String {
        let target =
            self.source.page_lengths[self.rng.random_range(0..self.source.page_lengths.len())];
        let sentence_count = self.source.sentences.len();
        let mut position = self.rng.random_range(0..sentence_count);
        let mut page = String::with_capacity(target + 64);
        while page.len() < target {
            let sentence = &self.source.sentences[position];
            if !page.is_empty() {
                page.push(if self.rng.random_bool(0.25) {
                    '\n'
                } else {
                    ' '
                });
            }
            let redraw_digits = self.rng.random_bool(0.33);
            self.push_varied(&mut page, sentence, redraw_digits);
            if !stamps.is_empty() && self.rng.random_bool(0.1) {
                page.push_str("\n[");
                page.push_str(stamps[self.rng.random_range(0..stamps.len())]);
                page.push_str("]\n");
            }
            position = if self.rng.random_bool(0.15) {
                self.rng.random_range(0..sentence_count)
            } else {
                (position + 1) % sentence_count
            };
        }
        page
    }

    /// Appends `sentence`, with fresh digits when asked and a typo in one word of 200.
    fn push_varied(&mut self, page: &mut String, sentence: &str, redraw_digits: bool) {
        for (index, word) in sentence.split(' ').enumerate() {
            if index > 0 {
                page.push(' ');
            }
            if self.rng.random_bool(0.005) && word.chars().count() >= 4 {
                let mut characters: Vec<char> = word.chars().collect();
                let at = self.rng.random_range(1..characters.len() - 1);
                characters.swap(at, at + 1);
                page.extend(characters);
                continue;
            }
            if redraw_digits && word.bytes().any(|byte| byte.is_ascii_digit()) {
                for character in word.chars() {
                    if character.is_ascii_digit() {
                        page.push(char::from(b'0' + self.rng.random_range(0..10u8)));
                    } else {
                        page.push(character);
                    }
                }
                continue;
            }
            page.push_str(word);
        }
    }

    /// Page 1 of a decision letter: letterhead, dates, the decision; the rest is body text.
    fn decision_first_page(
        &mut self,
        publisher: &str,
        topic: &str,
        reference: &str,
        date: (i32, u32, u32),
        decision: &str,
        grounds: &[&str],
    ) -> String {
        let request = weeks_before(&mut self.rng, date);
        let mut text = format!(
            "{publisher}\nDatum {}\nOns kenmerk {reference}\nBetreft Besluit op uw Woo-verzoek over {topic}\n\n\
             Geachte heer/mevrouw,\n\nIn uw e-mail van {} heeft u met een beroep op de Wet open overheid (Woo) \
             verzocht om informatie over {topic}.\n\nIk heb besloten de documenten {decision} te maken.",
            written(date),
            written(request),
        );
        if !grounds.is_empty() {
            text.push_str(&format!(
                " Delen van de documenten worden niet openbaar gemaakt op grond van artikel {} van de Woo.",
                grounds.join(", ")
            ));
        }
        text.push('\n');
        text.push_str(&self.page(&[]));
        text
    }
}

/// A writer of numbered output files, switching files every [`PAGES_PER_FILE`] pages.
struct ShardWriter {
    out: PathBuf,
    current: Option<std::io::BufWriter<std::fs::File>>,
    pages_in_current: usize,
    files: Vec<PathBuf>,
}

impl ShardWriter {
    fn write(&mut self, record: &PageRecord) -> Result<()> {
        if self.current.is_none() || self.pages_in_current >= PAGES_PER_FILE {
            self.finish()?;
            let path = self
                .out
                .join(format!("scale-{:04}.pages.jsonl", self.files.len()));
            let file = std::fs::File::create(&path).map_err(|source| IndexerError::Read {
                path: path.clone(),
                source,
            })?;
            self.current = Some(std::io::BufWriter::with_capacity(1 << 20, file));
            self.pages_in_current = 0;
            self.files.push(path);
        }
        if let Some(writer) = self.current.as_mut() {
            serde_json::to_writer(&mut *writer, record).map_err(std::io::Error::other)?;
            writer.write_all(b"\n")?;
        }
        self.pages_in_current += record.pages.len();
        Ok(())
    }

    fn finish(&mut self) -> Result<()> {
        if let Some(mut writer) = self.current.take() {
            writer.flush()?;
        }
        Ok(())
    }
}

/// Pages of a document other than the decision letter: 1–40, most documents short.
fn draw_document_pages(rng: &mut ChaCha8Rng) -> usize {
    match rng.random_range(0..100) {
        0..=39 => rng.random_range(1..=2),
        40..=74 => rng.random_range(3..=8),
        75..=94 => rng.random_range(9..=20),
        _ => rng.random_range(21..=40),
    }
}

/// Writes `options.pages` synthetic pages into `out` (see the module documentation).
/// Files `scale-*.pages.jsonl` already in `out` are removed first.
pub fn write_scale_corpus(
    source: &SourceTexts,
    options: &ScaleOptions,
    out: &Path,
) -> Result<ScaleSummary> {
    if source.sentence_count() == 0 {
        return Err(IndexerError::IndexDirectory {
            path: out.to_path_buf(),
            reason: "no source sentences to generate pages from".to_string(),
        });
    }
    std::fs::create_dir_all(out)?;
    for entry in std::fs::read_dir(out)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with("scale-") && name.ends_with(crate::pages::PAGES_SUFFIX) {
            std::fs::remove_file(&path)?;
        }
    }
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let mut maker = PageMaker {
        source,
        rng: ChaCha8Rng::seed_from_u64(options.seed ^ 0x05ee_d0f9_a9e5),
    };
    let mut shards = ShardWriter {
        out: out.to_path_buf(),
        current: None,
        pages_in_current: 0,
        files: Vec::new(),
    };
    let mut summary = ScaleSummary::default();
    let mut publication_number = 0usize;
    while summary.pages < options.pages {
        publication_number += 1;
        let (publisher, code, _) = *pick_weighted(&mut rng, PUBLISHERS, |item| item.2);
        let category = pick_weighted(&mut rng, CATEGORIES, |item| item.1).0;
        let topic = TOPICS[rng.random_range(0..TOPICS.len())];
        let date = draw_date(&mut rng);
        let publication_id = format!("{code}-{}-{publication_number:07}", date.0);
        let publication_title = format!("Woo-besluit over {topic}");
        let decision = match rng.random_range(0..100) {
            0..=29 => "openbaar",
            30..=84 => "deels openbaar",
            _ => "niet openbaar",
        };
        let mut publication_grounds: Vec<&str> = Vec::new();
        if decision != "openbaar" {
            for _ in 0..rng.random_range(1..=3) {
                let ground = pick_weighted(&mut rng, GROUNDS, |item| item.1).0;
                if !publication_grounds.contains(&ground) {
                    publication_grounds.push(ground);
                }
            }
        }
        let documents = match rng.random_range(0..100) {
            0..=49 => rng.random_range(1..=5),
            50..=84 => rng.random_range(6..=20),
            _ => rng.random_range(21..=60),
        };
        summary.publications += 1;
        for document_number in 0..=documents {
            let remaining = options.pages - summary.pages;
            if remaining == 0 {
                break;
            }
            let is_decision = document_number == 0;
            let (document_type, title_prefix) = if is_decision {
                ("besluit", "Besluit op Woo-verzoek over")
            } else {
                let (kind, prefix, _) = *pick_weighted(&mut rng, DOCUMENT_TYPES, |item| item.2);
                (kind, prefix)
            };
            let page_count = if is_decision {
                rng.random_range(2..=6)
            } else {
                draw_document_pages(&mut rng)
            }
            .min(remaining);
            let (judgement, grounds): (&str, Vec<&str>) = if is_decision {
                ("openbaar", Vec::new())
            } else {
                match decision {
                    "openbaar" => ("openbaar", Vec::new()),
                    "niet openbaar" if rng.random_bool(0.7) => {
                        ("niet openbaar", publication_grounds.clone())
                    }
                    _ => match rng.random_range(0..100) {
                        0..=54 => ("deels openbaar", publication_grounds.clone()),
                        55..=84 => ("openbaar", Vec::new()),
                        85..=94 => ("niet openbaar", publication_grounds.clone()),
                        _ => ("reeds openbaar", Vec::new()),
                    },
                }
            };
            let document_date = if is_decision {
                date
            } else {
                weeks_before(&mut rng, date)
            };
            let reference = format!("{}-{:07}", date.0, rng.random_range(0..10_000_000u32));
            let mut pages = Vec::with_capacity(page_count);
            for page_number in 0..page_count {
                let text = if is_decision && page_number == 0 {
                    maker.decision_first_page(
                        publisher,
                        topic,
                        &reference,
                        date,
                        decision,
                        &publication_grounds,
                    )
                } else if judgement == "deels openbaar" {
                    maker.page(&grounds)
                } else {
                    maker.page(&[])
                };
                summary.text_bytes += text.len() as u64;
                pages.push(text);
            }
            let record = PageRecord {
                id: format!("{publication_id}-{document_number:04}"),
                title: Some(format!("{title_prefix} {topic}")),
                document_type: Some(document_type.to_string()),
                date: Some(iso(document_date)),
                judgement: Some(judgement.to_string()),
                grounds: grounds.iter().map(|ground| ground.to_string()).collect(),
                publisher: Some(publisher.to_string()),
                category: Some(category.to_string()),
                summary: None,
                publication_id: Some(publication_id.clone()),
                publication_title: Some(publication_title.clone()),
                pages,
            };
            summary.pages += record.pages.len();
            summary.documents += 1;
            shards.write(&record)?;
        }
    }
    shards.finish()?;
    summary.files = shards.files;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> SourceTexts {
        let page = "De minister heeft op 12 maart 2021 besloten. Het verzoek betreft de levering van mondkapjes aan de zorg. \
                    Wij hebben 4 documenten gevonden die onder het verzoek vallen.\n\nDe documenten worden deels openbaar gemaakt.";
        SourceTexts::from_pages(vec![page.to_string(), "te kort".to_string()])
    }

    #[test]
    fn sentences_are_split_and_short_pieces_dropped() {
        let sentences =
            split_sentences("Dit is een zin. En nog   een zin!\n\nKort.\nDrie woorden hier");
        assert_eq!(
            sentences,
            vec!["Dit is een zin.", "En nog een zin!", "Drie woorden hier"]
        );
        let source = source();
        assert_eq!(source.page_count(), 1);
        assert_eq!(source.sentence_count(), 4);
    }

    #[test]
    fn the_same_seed_writes_the_same_files_with_exactly_the_pages_asked() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        let options = ScaleOptions {
            pages: 1_234,
            seed: 7,
        };
        let summary = write_scale_corpus(&source(), &options, first.path()).unwrap();
        write_scale_corpus(&source(), &options, second.path()).unwrap();
        assert_eq!(summary.pages, 1_234);
        assert!(summary.documents > 10 && summary.publications > 1);
        let read =
            |dir: &Path| std::fs::read_to_string(dir.join("scale-0000.pages.jsonl")).unwrap();
        assert_eq!(read(first.path()), read(second.path()));
        let other = tempfile::tempdir().unwrap();
        write_scale_corpus(
            &source(),
            &ScaleOptions {
                pages: 1_234,
                seed: 8,
            },
            other.path(),
        )
        .unwrap();
        assert_ne!(read(first.path()), read(other.path()));

        let mut pages = 0;
        let mut years = std::collections::BTreeSet::new();
        for line in read(first.path()).lines() {
            let record = crate::pages::parse_record(Path::new("x"), 1, line).unwrap();
            pages += record.pages.len();
            assert!(record.pages.iter().all(|page| page.len() >= 200));
            years.insert(record.date.unwrap()[..4].to_string());
            assert!(crate::woo::category_by_any(record.category.as_deref().unwrap()).is_some());
        }
        assert_eq!(pages, 1_234);
        assert!(years.len() >= 5, "{years:?}");
    }
}
