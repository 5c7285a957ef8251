//! The complaint patterns of one search ([`complaint_patterns`]): over the judgements the
//! search matches, per body and per year the (partly) well-founded share with its 95% Wilson
//! interval beside the share of all bodies, handling time against the Awb terms, cited and
//! violated norms, subjects rising or falling year on year (two-proportion z-tests,
//! Benjamini–Hochberg over all of them), and the recurring themes. Every figure carries the
//! link of the search that produces its judgements.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use woo_core::complaints::{ADJOURNED_TERM_DAYS, LEGAL_TERM_DAYS, NORMS};

use crate::search::complaint_patterns::links::{LinkBase, SearchLink};
use crate::search::complaints::{
    handling_time_value, ComplaintTable, JudgementFacts, HANDLING_TIME_VALUES,
};
use crate::search::table::DocumentTable;
use crate::statistics::{
    benjamini_hochberg, median_of_sorted, two_proportion_z_test, wilson_interval, Interval,
};

/// The false-discovery rate of the subject trends.
pub const TREND_FDR: f64 = 0.05;
/// A subject is tested in a pair of years only with this many judgements in the two together.
pub const MIN_TREND_JUDGEMENTS: usize = 5;
/// Handling-time histogram bins (weeks); the last bin holds everything longer.
pub const HISTOGRAM_WEEKS: usize = 26;
/// Example judgements shown per theme.
pub const EXAMPLES_PER_THEME: usize = 3;

const WELL_FOUNDED: [(&str, &str); 2] = [("outcome", "gegrond"), ("outcome", "deels gegrond")];

/// A (partly) well-founded share.
#[derive(Debug, Clone, Serialize)]
pub struct ShareFigure {
    /// Judgements.
    pub judgements: usize,
    /// Of which `gegrond` or `deels gegrond`.
    pub well_founded: usize,
    /// `well_founded / judgements` (`null` without judgements).
    pub share: Option<f64>,
    /// Its 95% Wilson score interval.
    pub interval: Option<Interval>,
    /// The search of the judgements.
    pub link: SearchLink,
    /// The search of the (partly) well-founded ones.
    pub well_founded_link: SearchLink,
}

/// Judgements of a body or of all bodies in one year.
#[derive(Debug, Clone, Serialize)]
pub struct YearCount {
    /// The year judged.
    pub year: String,
    /// Judgements.
    pub judgements: usize,
    /// Of which (partly) well-founded.
    pub well_founded: usize,
    /// The search of the judgements.
    pub link: SearchLink,
}

/// A share of judgements past a term.
#[derive(Debug, Clone, Serialize)]
pub struct TermShare {
    /// Judgements past the term.
    pub count: usize,
    /// `count / counted`.
    pub share: Option<f64>,
    /// Its 95% Wilson score interval.
    pub interval: Option<Interval>,
    /// The search of the judgements past the term.
    pub link: SearchLink,
}

/// Handling time of a set of judgements.
#[derive(Debug, Clone, Serialize)]
pub struct HandlingSummary {
    /// Judgements with both dates (received, judged).
    pub counted: usize,
    /// Median days from receipt to judgement.
    pub median_days: Option<f64>,
    /// Judged after six weeks (art. 9:11(1) Awb).
    pub past_legal_term: TermShare,
    /// Judged after ten weeks (the term adjourned by four, art. 9:11(2) Awb).
    pub past_adjourned_term: TermShare,
}

/// One bin of the handling-time histogram: more than `from_week`, at most `to_week` weeks.
#[derive(Debug, Clone, Serialize)]
pub struct WeekBin {
    /// Lower bound (exclusive, except 0), weeks.
    pub from_week: usize,
    /// Upper bound (inclusive), weeks; `null` for the last, open bin.
    pub to_week: Option<usize>,
    /// Judgements.
    pub count: usize,
    /// The search of the judgements of the bin's term class (`handling_time`).
    pub link: SearchLink,
}

/// Handling time of all judgements of the search.
#[derive(Debug, Clone, Serialize)]
pub struct HandlingPattern {
    /// Counted, median and the shares past the terms.
    #[serde(flatten)]
    pub summary: HandlingSummary,
    /// The legal term, days (42).
    pub legal_term_days: i64,
    /// The adjourned term, days (70).
    pub adjourned_term_days: i64,
    /// Histogram by week.
    pub weeks: Vec<WeekBin>,
}

/// How often a norm is cited and found violated.
#[derive(Debug, Clone, Serialize)]
pub struct NormCount {
    /// Its number in the Behoorlijkheidswijzer (1–22).
    pub number: u32,
    /// Its name.
    pub name: String,
    /// Its core value.
    pub core_value: String,
    /// Judgements citing it (the judgement or a part).
    pub cited: usize,
    /// Judgements finding it violated (a (partly) well-founded part citing it).
    pub violated: usize,
    /// The search of the judgements citing it (`norm=`).
    pub cited_link: SearchLink,
    /// The search of the judgements finding it violated (`violated_norm=`).
    pub violated_link: SearchLink,
}

/// The norms of one body.
#[derive(Debug, Clone, Serialize)]
pub struct BodyNorms {
    /// The body.
    pub publisher: String,
    /// Norms cited or violated, most violated first.
    pub norms: Vec<NormCount>,
}

/// The norms of one year.
#[derive(Debug, Clone, Serialize)]
pub struct YearNorms {
    /// The year.
    pub year: String,
    /// Norms cited or violated, most violated first.
    pub norms: Vec<NormCount>,
}

/// Norms overall, per body and per year.
#[derive(Debug, Clone, Serialize)]
pub struct NormPatterns {
    /// All 22 norms, in the Behoorlijkheidswijzer's order.
    pub overall: Vec<NormCount>,
    /// Per body (bodies with any norm).
    pub per_body: Vec<BodyNorms>,
    /// Per year.
    pub per_year: Vec<YearNorms>,
}

/// One body.
#[derive(Debug, Clone, Serialize)]
pub struct BodyPattern {
    /// The body.
    pub publisher: String,
    /// Its judgements and (partly) well-founded share.
    #[serde(flatten)]
    pub share: ShareFigure,
    /// Whether its interval excludes the share of all bodies of the search.
    pub differs_from_national: bool,
    /// `above`, `below` or `within` the share of all bodies.
    pub compared_to_national: &'static str,
    /// Judgements per year.
    pub years: Vec<YearCount>,
    /// Its handling time.
    pub handling: HandlingSummary,
}

/// A subject's share rising or falling from one year to the next.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectChange {
    /// The subject.
    pub subject: String,
    /// The year.
    pub year: String,
    /// The year before.
    pub previous_year: String,
    /// Judgements of the subject in `year`.
    pub count: usize,
    /// All judgements in `year`.
    pub total: usize,
    /// Judgements of the subject the year before.
    pub previous_count: usize,
    /// All judgements the year before.
    pub previous_total: usize,
    /// `count / total`.
    pub share: f64,
    /// `previous_count / previous_total`.
    pub previous_share: f64,
    /// Two-proportion z (positive: rising).
    pub z: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Benjamini–Hochberg adjusted p-value over all tests.
    pub q_value: f64,
    /// The search of the subject's judgements in `year`.
    pub link: SearchLink,
}

/// Subjects rising and falling significantly.
#[derive(Debug, Clone, Serialize)]
pub struct SubjectTrends {
    /// The false-discovery rate.
    pub fdr: f64,
    /// Tests run (subject × consecutive years with enough judgements).
    pub tests: usize,
    /// Significant rises, strongest first.
    pub rising: Vec<SubjectChange>,
    /// Significant falls, strongest first.
    pub falling: Vec<SubjectChange>,
}

/// A judgement shown as an example.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleJudgement {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its document page (its JSON when it has no pages).
    pub link: String,
    /// Its JSON (`/api/documents/{id}`).
    pub api: String,
}

/// A recurring theme among the search's judgements.
#[derive(Debug, Clone, Serialize)]
pub struct ThemePattern {
    /// Its name (the `theme` facet value).
    pub theme: String,
    /// Its top terms.
    pub terms: Vec<String>,
    /// Judgements of the search in the theme.
    pub judgements: usize,
    /// The most typical of them.
    pub examples: Vec<ExampleJudgement>,
    /// The search of its judgements.
    pub link: SearchLink,
}

/// Every figure of the complaint patterns of one search.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintPatterns {
    /// All bodies of the search together.
    pub national: ShareFigure,
    /// Per body, most judgements first.
    pub per_body: Vec<BodyPattern>,
    /// Per year, oldest first.
    pub per_year: Vec<YearCount>,
    /// Handling time.
    pub handling: HandlingPattern,
    /// Norms.
    pub norms: NormPatterns,
    /// Subjects rising and falling.
    pub subject_trends: SubjectTrends,
    /// Recurring themes, largest first.
    pub themes: Vec<ThemePattern>,
}

/// Counts of a set of judgements.
#[derive(Default, Clone)]
struct Tally {
    judgements: usize,
    well_founded: usize,
    days: Vec<i32>,
    cited: [usize; 32],
    violated: [usize; 32],
}

impl Tally {
    fn add(&mut self, judgement: &JudgementFacts) {
        self.judgements += 1;
        self.well_founded += usize::from(judgement.well_founded);
        if let Some(days) = judgement.handling_days {
            self.days.push(days);
        }
        for bit in 0..NORMS.len() {
            if judgement.cited_norms & (1 << bit) != 0 {
                self.cited[bit] += 1;
            }
            if judgement.violated_norms & (1 << bit) != 0 {
                self.violated[bit] += 1;
            }
        }
    }
}

/// A body's tally and its tallies per year.
#[derive(Default, Clone)]
struct BodyTally {
    all: Tally,
    years: BTreeMap<u16, (usize, usize)>,
}

/// A year's tally and its subjects.
#[derive(Default, Clone)]
struct YearTally {
    all: Tally,
    subjects: HashMap<u32, usize>,
}

/// Everything counted in one pass over the matching judgements.
struct Counts {
    all: Tally,
    bodies: Vec<BodyTally>,
    years: BTreeMap<u16, YearTally>,
    themes: Vec<usize>,
    matching: Vec<bool>,
}

fn count(complaints: &ComplaintTable, positions: &[usize], table_size: usize) -> Counts {
    let mut counts = Counts {
        all: Tally::default(),
        bodies: vec![BodyTally::default(); complaints.bodies.len()],
        years: BTreeMap::new(),
        themes: vec![0; complaints.themes.themes.len()],
        matching: vec![false; table_size],
    };
    for &position in positions {
        let Some(judgement) = complaints.judgement(position) else {
            continue;
        };
        counts.matching[position] = true;
        counts.all.add(judgement);
        if let Some(body) = judgement.body {
            let body = &mut counts.bodies[body as usize];
            body.all.add(judgement);
            if let Some(year) = judgement.year {
                let year = body.years.entry(year).or_default();
                year.0 += 1;
                year.1 += usize::from(judgement.well_founded);
            }
        }
        if let Some(year) = judgement.year {
            let tally = counts.years.entry(year).or_default();
            tally.all.add(judgement);
            if let Some(subject) = judgement.subject {
                *tally.subjects.entry(subject).or_default() += 1;
            }
        }
        if let Some(theme) = judgement.theme {
            counts.themes[theme as usize] += 1;
        }
    }
    counts
}

/// The complaint patterns of the judgements among the table `positions` (the documents a
/// search matched); `links` is that search.
pub fn complaint_patterns(
    table: &DocumentTable,
    positions: &[usize],
    links: &LinkBase,
) -> ComplaintPatterns {
    let complaints = &table.complaints;
    let counts = count(complaints, positions, table.entries.len());
    let national = share_figure(&counts.all, links, &[]);
    let national_share = national.share;
    let per_body = body_patterns(complaints, &counts, national_share, links);
    let per_year = counts
        .years
        .iter()
        .map(|(year, tally)| {
            let year = year.to_string();
            YearCount {
                link: links.with(&[("year", &year)]),
                year,
                judgements: tally.all.judgements,
                well_founded: tally.all.well_founded,
            }
        })
        .collect();
    ComplaintPatterns {
        national,
        per_body,
        per_year,
        handling: handling_pattern(&counts.all, links),
        norms: norm_patterns(complaints, &counts, links),
        subject_trends: subject_trends(complaints, &counts, links),
        themes: theme_patterns(table, &counts, links),
    }
}

fn share_figure(tally: &Tally, links: &LinkBase, selection: &[(&str, &str)]) -> ShareFigure {
    let mut well_founded_selection: Vec<(&str, &str)> = selection.to_vec();
    well_founded_selection.extend(WELL_FOUNDED);
    ShareFigure {
        judgements: tally.judgements,
        well_founded: tally.well_founded,
        share: (tally.judgements > 0).then(|| tally.well_founded as f64 / tally.judgements as f64),
        interval: wilson_interval(tally.well_founded, tally.judgements),
        link: links.with(selection),
        well_founded_link: links.with(&well_founded_selection),
    }
}

fn body_patterns(
    complaints: &ComplaintTable,
    counts: &Counts,
    national_share: Option<f64>,
    links: &LinkBase,
) -> Vec<BodyPattern> {
    let mut patterns = Vec::new();
    for (number, body) in counts.bodies.iter().enumerate() {
        if body.all.judgements == 0 {
            continue;
        }
        let name = complaints.bodies[number].as_str();
        let selection = [("publisher", name)];
        let share = share_figure(&body.all, links, &selection);
        let compared_to_national = match (share.interval, national_share) {
            (Some(interval), Some(national)) if national < interval.low => "above",
            (Some(interval), Some(national)) if national > interval.high => "below",
            _ => "within",
        };
        let years = body
            .years
            .iter()
            .map(|(year, (judgements, well_founded))| {
                let year = year.to_string();
                YearCount {
                    link: links.with(&[("publisher", name), ("year", &year)]),
                    year,
                    judgements: *judgements,
                    well_founded: *well_founded,
                }
            })
            .collect();
        patterns.push(BodyPattern {
            publisher: name.to_string(),
            share,
            differs_from_national: compared_to_national != "within",
            compared_to_national,
            years,
            handling: handling_summary(&body.all, links, &selection),
        });
    }
    patterns.sort_by(|a, b| {
        b.share
            .judgements
            .cmp(&a.share.judgements)
            .then_with(|| a.publisher.cmp(&b.publisher))
    });
    patterns
}

fn handling_summary(
    tally: &Tally,
    links: &LinkBase,
    selection: &[(&str, &str)],
) -> HandlingSummary {
    let mut sorted: Vec<i64> = tally.days.iter().map(|&days| i64::from(days)).collect();
    sorted.sort_unstable();
    let counted = sorted.len();
    let past = |term: i64, classes: &[&'static str]| {
        let count = counted - sorted.partition_point(|&days| days <= term);
        let mut narrowed: Vec<(&str, &str)> = selection.to_vec();
        narrowed.extend(classes.iter().map(|class| ("handling_time", *class)));
        TermShare {
            count,
            share: (counted > 0).then(|| count as f64 / counted as f64),
            interval: wilson_interval(count, counted),
            link: links.with(&narrowed),
        }
    };
    HandlingSummary {
        counted,
        median_days: median_of_sorted(&sorted),
        past_legal_term: past(LEGAL_TERM_DAYS, &HANDLING_TIME_VALUES[1..]),
        past_adjourned_term: past(ADJOURNED_TERM_DAYS, &HANDLING_TIME_VALUES[2..]),
    }
}

/// The histogram bin of a handling time: bin `w` holds more than `w` and at most `w + 1`
/// weeks (bin 0 also 0 days), so the six-week mark falls between bins 5 and 6.
pub fn week_bin(days: i32) -> usize {
    let bin = (days.max(1) as usize - 1) / 7;
    bin.min(HISTOGRAM_WEEKS)
}

fn handling_pattern(tally: &Tally, links: &LinkBase) -> HandlingPattern {
    let mut counts = vec![0usize; HISTOGRAM_WEEKS + 1];
    for &days in &tally.days {
        counts[week_bin(days)] += 1;
    }
    let weeks = counts
        .into_iter()
        .enumerate()
        .map(|(bin, count)| {
            let last_day_of_bin = (bin as i64 + 1) * 7;
            let class = handling_time_value(last_day_of_bin);
            WeekBin {
                from_week: bin,
                to_week: (bin < HISTOGRAM_WEEKS).then_some(bin + 1),
                count,
                link: links.with(&[("handling_time", class)]),
            }
        })
        .collect();
    HandlingPattern {
        summary: handling_summary(tally, links, &[]),
        legal_term_days: LEGAL_TERM_DAYS,
        adjourned_term_days: ADJOURNED_TERM_DAYS,
        weeks,
    }
}

fn norm_counts(
    tally: &Tally,
    links: &LinkBase,
    selection: &[(&str, &str)],
    only_present: bool,
) -> Vec<NormCount> {
    let mut norms = Vec::new();
    for (bit, norm) in NORMS.iter().enumerate() {
        let (cited, violated) = (tally.cited[bit], tally.violated[bit]);
        if only_present && cited == 0 && violated == 0 {
            continue;
        }
        let mut cited_selection = selection.to_vec();
        cited_selection.push(("norm", norm.name));
        let mut violated_selection = selection.to_vec();
        violated_selection.push(("violated_norm", norm.name));
        norms.push(NormCount {
            number: norm.number,
            name: norm.name.to_string(),
            core_value: norm.core_value.to_string(),
            cited,
            violated,
            cited_link: links.with(&cited_selection),
            violated_link: links.with(&violated_selection),
        });
    }
    if only_present {
        norms.sort_by(|a, b| (b.violated, b.cited, a.number).cmp(&(a.violated, a.cited, b.number)));
    }
    norms
}

fn norm_patterns(complaints: &ComplaintTable, counts: &Counts, links: &LinkBase) -> NormPatterns {
    let mut per_body = Vec::new();
    for (number, body) in counts.bodies.iter().enumerate() {
        let name = complaints.bodies[number].as_str();
        let norms = norm_counts(&body.all, links, &[("publisher", name)], true);
        if !norms.is_empty() {
            per_body.push(BodyNorms {
                publisher: name.to_string(),
                norms,
            });
        }
    }
    per_body.sort_by(|a, b| a.publisher.cmp(&b.publisher));
    let per_year = counts
        .years
        .iter()
        .map(|(year, tally)| {
            let year = year.to_string();
            YearNorms {
                norms: norm_counts(&tally.all, links, &[("year", &year)], true),
                year,
            }
        })
        .collect();
    NormPatterns {
        overall: norm_counts(&counts.all, links, &[], false),
        per_body,
        per_year,
    }
}

/// One subject in a pair of consecutive years, before the adjustment.
struct TrendTest {
    subject: u32,
    year: u16,
    counts: [usize; 4],
    z: f64,
    p: f64,
}

fn subject_trends(complaints: &ComplaintTable, counts: &Counts, links: &LinkBase) -> SubjectTrends {
    let mut tests: Vec<TrendTest> = Vec::new();
    for (&year, tally) in &counts.years {
        let Some(previous) = year.checked_sub(1).and_then(|y| counts.years.get(&y)) else {
            continue;
        };
        let mut subjects: Vec<u32> = tally.subjects.keys().copied().collect();
        subjects.extend(previous.subjects.keys().copied());
        subjects.sort_unstable();
        subjects.dedup();
        for subject in subjects {
            let before = previous.subjects.get(&subject).copied().unwrap_or(0);
            let now = tally.subjects.get(&subject).copied().unwrap_or(0);
            if before + now < MIN_TREND_JUDGEMENTS {
                continue;
            }
            let (n_before, n_now) = (previous.all.judgements, tally.all.judgements);
            let Some(test) = two_proportion_z_test(before, n_before, now, n_now) else {
                continue;
            };
            tests.push(TrendTest {
                subject,
                year,
                counts: [now, n_now, before, n_before],
                z: test.z,
                p: test.p,
            });
        }
    }
    let p_values: Vec<f64> = tests.iter().map(|test| test.p).collect();
    let adjusted = benjamini_hochberg(&p_values);
    let mut trends = SubjectTrends {
        fdr: TREND_FDR,
        tests: tests.len(),
        rising: Vec::new(),
        falling: Vec::new(),
    };
    for (test, q_value) in tests.into_iter().zip(adjusted) {
        if q_value > TREND_FDR {
            continue;
        }
        let subject = complaints.subjects[test.subject as usize].as_str();
        let year = test.year.to_string();
        let [count, total, previous_count, previous_total] = test.counts;
        let change = SubjectChange {
            subject: subject.to_string(),
            link: links.with(&[("subject", subject), ("year", &year)]),
            year,
            previous_year: (test.year - 1).to_string(),
            count,
            total,
            previous_count,
            previous_total,
            share: count as f64 / total as f64,
            previous_share: previous_count as f64 / previous_total as f64,
            z: test.z,
            p: test.p,
            q_value,
        };
        if change.z > 0.0 {
            trends.rising.push(change);
        } else {
            trends.falling.push(change);
        }
    }
    trends.rising.sort_by(|a, b| b.z.total_cmp(&a.z));
    trends.falling.sort_by(|a, b| a.z.total_cmp(&b.z));
    trends
}

/// A theme's example: its document page when it has pages, else its JSON (a record without a
/// letter has no page to show).
fn example_judgement(stored: &woo_core::StoredDocument) -> ExampleJudgement {
    let id = percent_encoding::utf8_percent_encode(
        &stored.fields.id,
        percent_encoding::NON_ALPHANUMERIC,
    );
    let api = format!("/api/documents/{id}");
    ExampleJudgement {
        id: stored.fields.id.clone(),
        title: stored.fields.title.clone(),
        link: if stored.page_count > 0 {
            format!("/documents/{id}")
        } else {
            api.clone()
        },
        api,
    }
}

fn theme_patterns(table: &DocumentTable, counts: &Counts, links: &LinkBase) -> Vec<ThemePattern> {
    let complaints = &table.complaints;
    let mut themes = Vec::new();
    for (number, theme) in complaints.themes.themes.iter().enumerate() {
        let judgements = counts.themes[number];
        if judgements == 0 {
            continue;
        }
        let examples = theme
            .members
            .iter()
            .map(|&member| complaints.judgements[member].position)
            .filter(|&position| counts.matching[position])
            .take(EXAMPLES_PER_THEME)
            .map(|position| example_judgement(&table.entries[position].stored))
            .collect();
        themes.push(ThemePattern {
            theme: theme.label.clone(),
            terms: theme.terms.clone(),
            judgements,
            examples,
            link: links.with(&[("theme", &theme.label)]),
        });
    }
    themes.sort_by(|a, b| {
        b.judgements
            .cmp(&a.judgements)
            .then_with(|| a.theme.cmp(&b.theme))
    });
    themes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn week_bins_put_the_terms_between_bins() {
        assert_eq!(week_bin(0), 0);
        assert_eq!(week_bin(7), 0);
        assert_eq!(week_bin(8), 1);
        // Day 42 is the last day of the legal term: bin 5 (the sixth week); day 43 is past it.
        assert_eq!(week_bin(42), 5);
        assert_eq!(week_bin(43), 6);
        assert_eq!(week_bin(70), 9);
        assert_eq!(week_bin(71), 10);
        assert_eq!(week_bin(10_000), HISTOGRAM_WEEKS);
        assert_eq!(super::handling_time_value(42), "within_6_weeks");
        assert_eq!(super::handling_time_value(43), "6_to_10_weeks");
        assert_eq!(super::handling_time_value(71), "over_10_weeks");
    }
}
