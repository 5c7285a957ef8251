use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use woo_server::{AppState, SearchService};

use crate::common::{send, Answer};

/// An index of 160 hand-planted judgements (2022 and 2023, 80 each): `Gemeente Hoogland`
/// (60, 80% well-founded, 30 days, parts citing bejegening and voortvarendheid), `Gemeente
/// Laagveld` (60, 10% well-founded, 80 days, citing voortvarendheid), ten small bodies (4 each,
/// half well-founded, 40 days), one of them `Waterschap Aa & <Maas>`; subject `parkeren` rises
/// from 3 of 80 in 2022 to 40 of 80 in 2023; summaries in three themes.
struct PlantedIndex {
    _records: tempfile::TempDir,
    _index: tempfile::TempDir,
    search: Arc<SearchService>,
}

const SMALL_BODIES: usize = 10;

fn small_body(number: usize) -> String {
    if number == 0 {
        return "Waterschap Aa & <Maas>".to_string();
    }
    format!("Gemeente Klein {number}")
}

/// The subject and summary of the `k`-th judgement of a year.
fn subject_and_summary(year: u32, k: usize) -> (&'static str, String) {
    let parking = if year == 2023 {
        k.is_multiple_of(2)
    } else {
        k.is_multiple_of(27)
    };
    if parking {
        let extra = ["wachtlijst", "kenteken", "bewonersvergunning"][k % 3];
        return (
            "parkeren",
            format!("Parkeervergunning niet verleend, parkeerplaats bezet, {extra} onduidelijk."),
        );
    }
    if k % 4 < 2 {
        let extra = ["grofvuil", "milieupas", "ophaaldienst"][k % 3];
        return (
            "afval",
            format!("Afvalcontainer niet geleegd, huisvuil bleef staan, {extra} gemist."),
        );
    }
    let extra = ["terugvordering", "inkomen", "participatiewet"][k % 3];
    (
        "uitkering",
        format!("Bijstand uitkering te laat betaald, {extra} zonder uitleg."),
    )
}

/// One JSON line: `(body, outcome, handling days, norms or parts)`.
fn record(id: &str, body: &str, year: u32, k: usize, well_founded: bool, days: i64) -> String {
    let judged_days =
        woo_core::dates::date_to_days(&format!("{year}-03-01")).unwrap() + k as i64 * 3;
    let judged = woo_core::dates::days_to_iso(judged_days).unwrap();
    let received = woo_core::dates::days_to_iso(judged_days - days).unwrap();
    let (subject, summary) = subject_and_summary(year, k);
    let outcome = if well_founded { "gegrond" } else { "ongegrond" };
    let mut value = serde_json::json!({
        "id": id, "publisher": body, "date_received": received, "date_judged": judged,
        "subject": subject, "outcome": outcome, "summary": summary,
    });
    if body == "Gemeente Hoogland" {
        value["parts"] = serde_json::json!([
            {"subject": "bejegening", "outcome": outcome, "norms": ["fatsoenlijke bejegening"]},
            {"subject": "termijn", "outcome": "ongegrond", "norms": ["voortvarendheid"]},
        ]);
        value.as_object_mut().unwrap().remove("outcome");
    } else if body == "Gemeente Laagveld" {
        value["norms"] = serde_json::json!(["voortvarendheid"]);
    }
    value.to_string()
}

fn planted_records() -> String {
    let mut lines = Vec::new();
    for year in [2022u32, 2023] {
        let mut k = 0;
        for i in 0..30 {
            let id = format!("HOOG-{year}-{i}");
            lines.push(record(&id, "Gemeente Hoogland", year, k, i % 5 != 0, 30));
            k += 1;
            let id = format!("LAAG-{year}-{i}");
            lines.push(record(&id, "Gemeente Laagveld", year, k, i % 10 == 0, 80));
            k += 1;
        }
        for body in 0..SMALL_BODIES {
            for i in 0..2 {
                let id = format!("KLEIN-{body}-{year}-{i}");
                lines.push(record(&id, &small_body(body), year, k, i == 0, 40));
                k += 1;
            }
        }
    }
    lines.join("\n") + "\n"
}

fn planted() -> &'static PlantedIndex {
    static INDEX: OnceLock<PlantedIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let records = tempfile::tempdir().unwrap();
        std::fs::write(
            records.path().join("oordelen.klachten.jsonl"),
            planted_records(),
        )
        .unwrap();
        let index = tempfile::tempdir().unwrap();
        let options = woo_indexer::ingest::IndexOptions {
            jobs: 1,
            ..woo_indexer::ingest::IndexOptions::new(
                vec![records.path().to_path_buf()],
                index.path().to_path_buf(),
            )
        };
        let summary = woo_indexer::ingest::run_index(&options, &|_| {}).unwrap();
        assert!(summary.failures.is_empty(), "{:?}", summary.failures);
        let search = Arc::new(SearchService::open(index.path()).unwrap());
        PlantedIndex {
            _records: records,
            _index: index,
            search,
        }
    })
}

/// The search service over the planted judgements (for the browser test).
pub fn planted_search() -> Arc<SearchService> {
    planted().search.clone()
}

async fn get(uri: &str) -> Answer {
    let state = AppState {
        search: planted().search.clone(),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let request = Request::get(uri).body(Body::empty()).unwrap();
    send(state, request).await
}

async fn get_json(uri: &str) -> serde_json::Value {
    let answer = get(uri).await;
    assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.text());
    answer.json()
}

/// The number of results of a figure's `/api/search` link.
async fn total_of(link: &serde_json::Value) -> u64 {
    let api = link["api"].as_str().unwrap();
    get_json(api).await["total"].as_u64().unwrap()
}

fn body<'a>(stats: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    stats["per_body"]
        .as_array()
        .unwrap()
        .iter()
        .find(|body| body["publisher"] == name)
        .unwrap_or_else(|| panic!("no body {name}"))
}

#[tokio::test]
async fn bodies_get_wilson_intervals_and_only_real_outliers_are_flagged() {
    let stats = get_json("/api/complaints/stats").await;
    assert_eq!(stats["total"], 160);
    assert_eq!(stats["groups"], serde_json::json!([]));
    // 48 + 6 + 10 × 2 well-founded of 160.
    assert_eq!(stats["national"]["well_founded"], 74);
    let national = stats["national"]["share"].as_f64().unwrap();
    assert!((national - 74.0 / 160.0).abs() < 1e-9);
    let high = body(&stats, "Gemeente Hoogland");
    assert_eq!(
        (high["judgements"].as_u64(), high["well_founded"].as_u64()),
        (Some(60), Some(48))
    );
    assert_eq!(high["compared_to_national"], "above");
    assert_eq!(high["differs_from_national"], true);
    let low = body(&stats, "Gemeente Laagveld");
    assert_eq!(low["well_founded"], 6);
    assert_eq!(low["compared_to_national"], "below");
    for number in 0..SMALL_BODIES {
        // 2 of 4 is a wide interval: no outlier by chance.
        let small = body(&stats, &small_body(number));
        assert_eq!(small["compared_to_national"], "within", "{small}");
        let interval = &small["interval"];
        assert!(
            interval["low"].as_f64().unwrap() < 0.2 && interval["high"].as_f64().unwrap() > 0.8
        );
    }
    // Judgements per body per year, and the links give exactly those judgements.
    let years = high["years"].as_array().unwrap();
    assert_eq!(years.len(), 2);
    assert_eq!(years[0]["year"], "2022");
    assert_eq!(years[0]["judgements"], 30);
    assert_eq!(total_of(&years[0]["link"]).await, 30);
    assert_eq!(total_of(&high["well_founded_link"]).await, 48);
    assert_eq!(total_of(&low["link"]).await, 60);
    assert!(high["link"]["html"]
        .as_str()
        .unwrap()
        .starts_with("/?category=2l&publisher=Gemeente%20Hoogland"));
}

#[tokio::test]
async fn handling_time_counts_terms_and_its_links_find_the_late_judgements() {
    let stats = get_json("/api/complaints/stats").await;
    let handling = &stats["handling"];
    assert_eq!(handling["counted"], 160);
    assert_eq!(handling["legal_term_days"], 42);
    // 60 judged in 80 days are past both terms; nothing else is past six weeks.
    assert_eq!(handling["past_legal_term"]["count"], 60);
    assert_eq!(handling["past_adjourned_term"]["count"], 60);
    assert_eq!(total_of(&handling["past_legal_term"]["link"]).await, 60);
    let weeks = handling["weeks"].as_array().unwrap();
    let counted: u64 = weeks.iter().map(|bin| bin["count"].as_u64().unwrap()).sum();
    assert_eq!(counted, 160);
    // 30 days: more than 4, at most 5 weeks; 40 days: week 5–6; 80 days: 11–12.
    assert_eq!(weeks[4]["count"], 60);
    assert_eq!(weeks[5]["count"], 40);
    assert_eq!(weeks[11]["count"], 60);
    let low = body(&stats, "Gemeente Laagveld");
    assert_eq!(low["handling"]["median_days"], 80.0);
    assert_eq!(low["handling"]["past_adjourned_term"]["share"], 1.0);
    assert_eq!(
        body(&stats, "Gemeente Hoogland")["handling"]["past_legal_term"]["count"],
        0
    );
}

#[tokio::test]
async fn norms_are_counted_cited_and_violated_with_their_searches() {
    let stats = get_json("/api/complaints/stats").await;
    let overall = stats["norms"]["overall"].as_array().unwrap();
    assert_eq!(overall.len(), 22);
    let norm = |name: &str| {
        overall
            .iter()
            .find(|norm| norm["name"] == name)
            .unwrap()
            .clone()
    };
    let speed = norm("voortvarendheid");
    // Cited by all 120 of Hoogland (a part) and Laagveld; violated only by Laagveld's 6
    // well-founded judgements (Hoogland's voortvarendheid part is always ongegrond).
    assert_eq!(speed["cited"], 120);
    assert_eq!(speed["violated"], 6);
    assert_eq!(speed["core_value"], "betrokken en oplossingsgericht");
    assert_eq!(total_of(&speed["violated_link"]).await, 6);
    assert_eq!(total_of(&speed["cited_link"]).await, 120);
    let manners = norm("fatsoenlijke bejegening");
    assert_eq!(
        (manners["cited"].as_u64(), manners["violated"].as_u64()),
        (Some(60), Some(48))
    );
    let per_body = stats["norms"]["per_body"].as_array().unwrap();
    let high = per_body
        .iter()
        .find(|body| body["publisher"] == "Gemeente Hoogland")
        .unwrap();
    assert_eq!(high["norms"][0]["name"], "fatsoenlijke bejegening");
    assert_eq!(high["norms"][0]["violated"], 48);
    let per_year = stats["norms"]["per_year"].as_array().unwrap();
    assert_eq!(per_year.len(), 2);
}

#[tokio::test]
async fn a_planted_rise_is_significant_and_themes_are_found() {
    let stats = get_json("/api/complaints/stats").await;
    let trends = &stats["subject_trends"];
    assert!(trends["tests"].as_u64().unwrap() >= 3, "{trends}");
    let rising = trends["rising"].as_array().unwrap();
    let parking = rising
        .iter()
        .find(|change| change["subject"] == "parkeren")
        .expect("parkeren rises");
    assert_eq!(parking["year"], "2023");
    assert_eq!(
        (
            parking["count"].as_u64(),
            parking["previous_count"].as_u64()
        ),
        (Some(40), Some(3))
    );
    assert!(parking["q_value"].as_f64().unwrap() < 0.05);
    assert!(parking["z"].as_f64().unwrap() > 0.0);
    assert_eq!(total_of(&parking["link"]).await, 40);
    let themes = stats["themes"].as_array().unwrap();
    assert!(themes.len() >= 3, "{themes:?}");
    let parking_theme = themes
        .iter()
        .find(|theme| {
            theme["terms"]
                .as_array()
                .unwrap()
                .iter()
                .any(|term| term.as_str().unwrap().starts_with("parkeer"))
        })
        .expect("a parking theme");
    let members = parking_theme["judgements"].as_u64().unwrap();
    assert!((38..=46).contains(&members), "{parking_theme}");
    assert_eq!(total_of(&parking_theme["link"]).await, members);
    let example = &parking_theme["examples"][0];
    assert!(
        example["title"].as_str().unwrap().contains("parkeren"),
        "{example}"
    );
    assert_eq!(
        get(example["link"].as_str().unwrap()).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_stats_follow_the_search_and_its_filters() {
    let stats =
        get_json("/api/complaints/stats?q=parkeervergunning&year=2023&group=publisher").await;
    assert_eq!(stats["total"], 40);
    let grouped: u64 = stats["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|group| group["count"].as_u64().unwrap())
        .sum();
    assert_eq!(grouped, 40);
    assert_eq!(stats["per_year"].as_array().unwrap().len(), 1);
    let link = stats["link"]["html"].as_str().unwrap();
    assert!(
        link.contains("q=parkeervergunning") && link.contains("year=2023"),
        "{link}"
    );
    let only = get_json("/api/complaints/stats?publisher=Gemeente+Laagveld&outcome=gegrond").await;
    assert_eq!(only["total"], 6);
    // The new facets filter /api/search and the HTML page alike.
    let search =
        get_json("/api/search?violated_norm=voortvarendheid&handling_time=over_10_weeks").await;
    assert_eq!(search["total"], 6);
    let page = get("/?violated_norm=voortvarendheid&handling_time=over_10_weeks").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("6 documenten"),
        "{}",
        &page.text()[..400.min(page.text().len())]
    );
}

#[tokio::test]
async fn every_section_exports_as_csv() {
    for section in woo_server::complaints::COMPLAINT_SECTIONS {
        let answer = get(&format!(
            "/api/complaints/stats?format=csv&section={section}&group=publisher"
        ))
        .await;
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "{section}: {}",
            answer.text()
        );
        assert!(answer.content_type.starts_with("text/csv"), "{section}");
        assert!(
            answer.text().lines().count() >= 2,
            "{section}: {}",
            answer.text()
        );
    }
    let per_body = get("/api/complaints/stats?format=csv&section=per_body")
        .await
        .text();
    assert_eq!(per_body.lines().count(), 1 + 2 + SMALL_BODIES);
    assert!(per_body
        .lines()
        .next()
        .unwrap()
        .starts_with("publisher,judgements,well_founded,share"));
    assert!(
        per_body.contains("Gemeente Hoogland,60,48,0.800000,"),
        "{per_body}"
    );
}

#[tokio::test]
async fn bad_parameters_are_400_with_the_json_error() {
    for uri in [
        "/api/complaints/stats?group=colour",
        "/api/complaints/stats?group=",
        "/api/complaints/stats?format=xml",
        "/api/complaints/stats?format=csv",
        "/api/complaints/stats?section=per_body",
        "/api/complaints/stats?format=csv&section=nothing",
        "/api/complaints/stats?format=csv&format=csv&section=per_body",
        "/api/complaints/stats?from=2024-13",
        "/api/complaints/stats?colour=red",
        "/api/complaints/stats?q=%22open",
        "/api/complaints/stats?size=0",
    ] {
        let answer = get(uri).await;
        assert_eq!(
            answer.status,
            StatusCode::BAD_REQUEST,
            "{uri}: {}",
            answer.text()
        );
        assert!(answer.json()["error"]["code"].is_string(), "{uri}");
    }
    let page = get("/complaints?format=xml").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.content_type.starts_with("text/html"));
}

#[tokio::test]
async fn the_page_draws_the_figures_with_links_to_their_searches() {
    let answer = get("/complaints").await;
    assert_eq!(answer.status, StatusCode::OK);
    let page = answer.text();
    for id in [
        "per-body",
        "per-body-year",
        "handling",
        "norms",
        "trends",
        "themes",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "section {id}");
    }
    assert!(page.matches("<svg").count() >= 3);
    assert!(page.contains("id=\"national-share\""));
    assert!(page.contains("class=\"term\""));
    assert!(page.contains("href=\"/?category=2l&amp;publisher=Gemeente%20Hoogland&amp;outcome=gegrond&amp;outcome=deels%20gegrond\""));
    // Text is escaped, and nothing needs inline style (the CSP forbids it).
    assert!(page.contains("Waterschap Aa &amp; &lt;Maas&gt;"));
    assert!(!page.contains("<Maas>"));
    assert!(!page.contains("style="), "inline style");
    assert!(!page.contains("<script"));
    // The form narrows the figures.
    let narrowed = get("/complaints?publisher=Gemeente+Laagveld&lang=en")
        .await
        .text();
    assert!(narrowed.contains("<option value=\"Gemeente Laagveld\" selected>"));
    assert!(narrowed.contains("Patterns in complaint judgements"));
    // The main page links to the patterns of its search.
    let main = get("/?q=parkeren").await.text();
    assert!(
        main.contains("href=\"/complaints?q=parkeren\""),
        "no link to /complaints"
    );
}
