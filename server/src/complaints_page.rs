//! `GET /complaints`: the complaint patterns of a search as a server-rendered page with inline
//! SVG charts (presentation attributes only: the Content-Security-Policy allows no inline
//! style, and no script): the well-founded share per body with its interval and the share of
//! all bodies, judgements per body per year, the handling-time histogram with the Awb terms,
//! the norms most found violated, rising and falling subjects, and the recurring themes.
//! Every bar, row and cell links to the search that produces its judgements.

use crate::complaints::{ComplaintAnswer, COMPLAINT_SECTIONS};
use crate::html::{
    facet_title, facet_value_shown, hidden_inputs, page_head, page_header, pair_value,
    url_with_pairs, without, UiLanguage,
};
use crate::search::{html_escape, BodyPattern, SearchLink};

/// Bodies shown in the charts and tables (all of them are in the CSV sections).
pub const BODIES_SHOWN: usize = 40;
/// Facets the page's form offers as a choice list.
const FORM_FACETS: &[&str] = &[
    "publisher",
    "year",
    "outcome",
    "subject",
    "violated_norm",
    "norm",
    "handling_time",
    "theme",
];

const BLUE: &str = "#154273";
const LIGHT_BLUE: &str = "#a9c1e0";
const ORANGE: &str = "#b34700";
const RED: &str = "#c00000";

/// Renders the page for `pairs` (the request's query string) and its answer.
pub fn render_complaints_page(
    pairs: &[(String, String)],
    answer: &ComplaintAnswer,
    language: UiLanguage,
) -> String {
    let mut page = page_head(
        language.text(
            "Patronen in klachtoordelen",
            "Patterns in complaint judgements",
        ),
        language,
        "",
    );
    page.push_str(&page_header(
        "",
        &hidden_inputs(pairs, &["q"]),
        language,
        false,
    ));
    page.push_str("<main class=\"complaints\" id=\"content\" tabindex=\"-1\">");
    page.push_str(&format!(
        "<h1>{}</h1>",
        language.text(
            "Patronen in klachtoordelen",
            "Patterns in complaint judgements"
        )
    ));
    page.push_str(&search_form(pairs, answer, language));
    page.push_str(&summary(pairs, answer, language));
    page.push_str(&share_chart(answer, language));
    page.push_str(&bodies_per_year(answer, language));
    page.push_str(&handling_chart(answer, language));
    page.push_str(&norms_section(answer, language));
    page.push_str(&trends_section(answer, language));
    page.push_str(&themes_section(answer, language));
    page.push_str("</main></body></html>");
    page
}

fn percent(share: Option<f64>) -> String {
    share.map_or("–".to_string(), |share| format!("{:.0}%", share * 100.0))
}

fn link(link: &SearchLink, text: &str) -> String {
    format!(
        "<a href=\"{}\">{}</a>",
        html_escape(&link.html),
        html_escape(text)
    )
}

/// Shortens a label for a chart's margin.
fn short(text: &str, characters: usize) -> String {
    if text.chars().count() <= characters {
        return text.to_string();
    }
    let kept: String = text.chars().take(characters - 1).collect();
    format!("{kept}…")
}

/// The form: query text, a choice list per facet (values of the current search), date range.
fn search_form(
    pairs: &[(String, String)],
    answer: &ComplaintAnswer,
    language: UiLanguage,
) -> String {
    let mut html = format!(
        "<form class=\"patterns\" method=\"get\" action=\"/complaints\" role=\"search\">\
<label>{}<input type=\"search\" name=\"q\" value=\"{}\"></label>",
        language.text("Zoektermen", "Search terms"),
        html_escape(pair_value(pairs, "q"))
    );
    for &facet in FORM_FACETS {
        let chosen = pair_value(pairs, facet);
        let mut options = format!(
            "<option value=\"\">{}</option>",
            language.text("alle", "all")
        );
        for value in answer.facets.get(facet).into_iter().flatten() {
            let selected = if value.value == chosen {
                " selected"
            } else {
                ""
            };
            let shown = facet_value_shown(facet, &value.value, value.label.as_deref(), language);
            options.push_str(&format!(
                "<option value=\"{}\"{selected}>{} ({})</option>",
                html_escape(&value.value),
                html_escape(&short(&shown, 60)),
                value.count
            ));
        }
        html.push_str(&format!(
            "<label>{}<select name=\"{facet}\">{options}</select></label>",
            facet_title(facet, language)
        ));
    }
    for (name, dutch, english) in [("from", "Vanaf", "From"), ("to", "Tot en met", "Up to")] {
        html.push_str(&format!(
            "<label>{} (JJJJ[-MM-DD])<input name=\"{name}\" value=\"{}\" inputmode=\"numeric\" size=\"10\"></label>",
            language.text(dutch, english),
            html_escape(pair_value(pairs, name))
        ));
    }
    let mut kept: Vec<&str> = vec!["q", "from", "to", "category"];
    kept.extend(FORM_FACETS);
    html.push_str(&hidden_inputs(pairs, &kept));
    html.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        language.text("Toon patronen", "Show patterns")
    ));
    html
}

/// The count, the share of all bodies, the search link and the CSV links.
fn summary(pairs: &[(String, String)], answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let national = &answer.patterns.national;
    let interval = national.interval.map_or(String::new(), |interval| {
        format!(
            " (95%: {}–{})",
            percent(Some(interval.low)),
            percent(Some(interval.high))
        )
    });
    let mut html = format!(
        "<p id=\"patterns-summary\">{} {} · {} {}{} · {} <span class=\"count\">({:.0} ms)</span></p>",
        link(&answer.link, &answer.total.to_string()),
        language.text("klachtoordelen", "complaint judgements"),
        language.text("(deels) gegrond:", "(partly) well-founded:"),
        link(&national.well_founded_link, &percent(national.share)),
        interval,
        link(&answer.link, language.text("bekijk de oordelen", "see the judgements")),
        answer.took_ms
    );
    let csv_base = without(pairs, &["format", "section", "lang"]);
    let mut csv_links = Vec::new();
    for section in COMPLAINT_SECTIONS {
        let mut csv_pairs = vec![
            ("format".to_string(), "csv".to_string()),
            ("section".to_string(), section.to_string()),
        ];
        csv_pairs.extend(csv_base.iter().cloned());
        csv_links.push(format!(
            "<a href=\"{}\">{section}</a>",
            html_escape(&url_with_pairs("/api/complaints/stats", &csv_pairs))
        ));
    }
    html.push_str(&format!(
        "<p class=\"tools\">CSV: {} · <a href=\"{}\">JSON</a></p>",
        csv_links.join(" "),
        html_escape(&url_with_pairs("/api/complaints/stats", &csv_base))
    ));
    html
}

/// One body's bar: share, whisker, label; the whole row links to its well-founded search.
fn share_bar(body: &BodyPattern, row: usize, language: UiLanguage) -> String {
    let (left, width) = (300.0, 400.0);
    let y = 24.0 + row as f64 * 20.0;
    let share = body.share.share.unwrap_or(0.0);
    let colour = if body.differs_from_national {
        ORANGE
    } else {
        BLUE
    };
    let marker = match body.compared_to_national {
        "above" => " ▲",
        "below" => " ▼",
        _ => "",
    };
    let (low, high) = body
        .share
        .interval
        .map_or((share, share), |interval| (interval.low, interval.high));
    format!(
        "<a href=\"{}\"><title>{}: {} {} {} ({} {}, 95%: {}–{})</title>\
<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}{marker}</text>\
<rect x=\"{left}\" y=\"{}\" width=\"{:.1}\" height=\"12\" fill=\"{colour}\"/>\
<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#000\" stroke-width=\"1.5\"/>\
<text x=\"{}\" y=\"{}\" font-size=\"11\">{} ({}/{})</text></a>",
        html_escape(&body.share.well_founded_link.html),
        html_escape(&body.publisher),
        percent(body.share.share),
        language.text("(deels) gegrond", "(partly) well-founded"),
        language.text("van", "of"),
        body.share.judgements,
        language.text("oordelen", "judgements"),
        percent(Some(low)),
        percent(Some(high)),
        left - 6.0,
        y + 11.0,
        html_escape(&short(&body.publisher, 40)),
        y,
        share * width,
        left + low * width,
        left + high * width,
        y + 6.0,
        y + 6.0,
        left + width + 8.0,
        y + 11.0,
        percent(body.share.share),
        body.share.well_founded,
        body.share.judgements,
    )
}

/// Bars of the (partly) well-founded share per body with interval whiskers and the share of
/// all bodies as a line.
fn share_chart(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let bodies: Vec<&BodyPattern> = answer.patterns.per_body.iter().take(BODIES_SHOWN).collect();
    let mut html = format!(
        "<section id=\"per-body\"><h2>{}</h2><p class=\"note\">{}</p>",
        language.text("(Deels) gegrond per organisatie", "(Partly) well-founded per body"),
        language.text(
            "Balk: aandeel (deels) gegronde oordelen; zwarte streep: 95%-betrouwbaarheidsinterval (Wilson); rode lijn: aandeel over alle organisaties in deze zoekvraag. Oranje met ▲/▼: het interval sluit het totale aandeel uit. Organisaties met de meeste oordelen eerst.",
            "Bar: share of (partly) well-founded judgements; black line: 95% confidence interval (Wilson); red line: share over all bodies of this search. Orange with ▲/▼: the interval excludes the overall share. Bodies with most judgements first."
        )
    );
    if bodies.is_empty() {
        html.push_str(&no_judgements(language));
        return html + "</section>";
    }
    let height = 40 + bodies.len() * 20;
    html.push_str(&format!(
        "<svg viewBox=\"0 0 820 {height}\" width=\"820\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        language.text("Aandeel gegrond per organisatie", "Well-founded share per body")
    ));
    for (x, label) in [(300.0, "0%"), (500.0, "50%"), (700.0, "100%")] {
        html.push_str(&format!(
            "<line x1=\"{x}\" x2=\"{x}\" y1=\"18\" y2=\"{}\" stroke=\"#ddd\"/><text x=\"{x}\" y=\"13\" font-size=\"11\" text-anchor=\"middle\">{label}</text>",
            height - 10
        ));
    }
    for (row, body) in bodies.iter().enumerate() {
        html.push_str(&share_bar(body, row, language));
    }
    if let Some(national) = answer.patterns.national.share {
        let x = 300.0 + national * 400.0;
        html.push_str(&format!(
            "<line id=\"national-share\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"18\" y2=\"{}\" stroke=\"{RED}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"><title>{} {}</title></line>",
            height - 10,
            language.text("alle organisaties:", "all bodies:"),
            percent(Some(national))
        ));
    }
    html.push_str("</svg></section>");
    html
}

fn no_judgements(language: UiLanguage) -> String {
    format!(
        "<p>{}</p>",
        language.text(
            "Geen klachtoordelen bij deze zoekvraag.",
            "No complaint judgements for this search."
        )
    )
}

/// A table of judgements per body (rows) and year (columns), every cell a link.
fn bodies_per_year(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let years: Vec<&str> = answer
        .patterns
        .per_year
        .iter()
        .map(|year| year.year.as_str())
        .collect();
    let mut html = format!(
        "<section id=\"per-body-year\"><h2>{}</h2>",
        language.text(
            "Oordelen per organisatie per jaar",
            "Judgements per body per year"
        )
    );
    if years.is_empty() {
        return html + &no_judgements(language) + "</section>";
    }
    html.push_str(&format!(
        "<div class=\"scroll\"><table class=\"patterns\"><thead><tr><th>{}</th>",
        language.text("Organisatie", "Body")
    ));
    for year in &answer.patterns.per_year {
        html.push_str(&format!("<th>{}</th>", link(&year.link, &year.year)));
    }
    html.push_str("</tr></thead><tbody>");
    for body in answer.patterns.per_body.iter().take(BODIES_SHOWN) {
        html.push_str(&format!(
            "<tr><th>{}</th>",
            link(&body.share.link, &body.publisher)
        ));
        for year in &years {
            match body.years.iter().find(|count| count.year == *year) {
                Some(count) => html.push_str(&format!(
                    "<td class=\"n\">{}</td>",
                    link(&count.link, &count.judgements.to_string())
                )),
                None => html.push_str("<td class=\"n\">0</td>"),
            }
        }
        html.push_str("</tr>");
    }
    html.push_str("</tbody></table></div></section>");
    html
}

/// The handling-time histogram by week with the six- and ten-week marks, and the shares past
/// each term.
fn handling_chart(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let handling = &answer.patterns.handling;
    let summary = &handling.summary;
    let mut html = format!(
        "<section id=\"handling\"><h2>{}</h2>",
        language.text("Behandelduur", "Handling time")
    );
    let term_share =
        |share: &crate::search::TermShare, dutch: &'static str, english: &'static str| {
            let interval = share.interval.map_or(String::new(), |interval| {
                format!(
                    " (95%: {}–{})",
                    percent(Some(interval.low)),
                    percent(Some(interval.high))
                )
            });
            format!(
                "{} {}{interval}",
                language.text(dutch, english),
                link(
                    &share.link,
                    &format!("{} ({})", percent(share.share), share.count)
                )
            )
        };
    html.push_str(&format!(
        "<p>{} {} · {}: {} {} · {} · {}</p>",
        summary.counted,
        language.text(
            "oordelen met ontvangst- en oordeeldatum",
            "judgements with both dates"
        ),
        language.text("mediaan", "median"),
        summary
            .median_days
            .map_or("–".to_string(), |days| format!("{days:.0}")),
        language.text("dagen", "days"),
        term_share(&summary.past_legal_term, "na 6 weken:", "after 6 weeks:"),
        term_share(
            &summary.past_adjourned_term,
            "na 10 weken:",
            "after 10 weeks:"
        ),
    ));
    let most = handling
        .weeks
        .iter()
        .map(|bin| bin.count)
        .max()
        .unwrap_or(0)
        .max(1);
    let (left, bar, top, chart_height) = (40.0, 26.0, 20.0, 160.0);
    let width = left + bar * handling.weeks.len() as f64 + 20.0;
    html.push_str(&format!(
        "<svg viewBox=\"0 0 {width} 230\" width=\"{width}\" height=\"230\" role=\"group\" aria-label=\"{}\">",
        language.text("Behandelduur in weken", "Handling time in weeks")
    ));
    for (index, bin) in handling.weeks.iter().enumerate() {
        let height = chart_height * bin.count as f64 / most as f64;
        let x = left + index as f64 * bar;
        let range = match bin.to_week {
            Some(to) => format!("{}–{}", bin.from_week, to),
            None => format!("> {}", bin.from_week),
        };
        html.push_str(&format!(
            "<a href=\"{}\"><title>{range} {}: {}</title><rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\" fill=\"{BLUE}\"/></a>",
            html_escape(&bin.link.html),
            language.text("weken", "weeks"),
            bin.count,
            top + chart_height - height,
            bar - 3.0,
        ));
        if index % 2 == 0 {
            html.push_str(&format!(
                "<text x=\"{x:.1}\" y=\"{}\" font-size=\"10\">{}</text>",
                top + chart_height + 14.0,
                bin.from_week
            ));
        }
    }
    for (weeks, label) in [(6.0, "6 weken (Awb 9:11)"), (10.0, "10 weken (verdaagd)")] {
        let x = left + weeks * bar - 1.5;
        html.push_str(&format!(
            "<line class=\"term\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{}\" y2=\"{}\" stroke=\"{RED}\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/><text x=\"{:.1}\" y=\"{}\" font-size=\"11\" fill=\"{RED}\">{label}</text>",
            top - 5.0,
            top + chart_height,
            x + 3.0,
            top + 5.0 + (weeks - 6.0) * 3.0,
        ));
    }
    html.push_str(&format!(
        "<text x=\"{left}\" y=\"220\" font-size=\"11\">{}</text></svg></section>",
        language.text(
            "weken tussen ontvangst en oordeel",
            "weeks from receipt to judgement"
        )
    ));
    html
}

/// The norms most found violated (bars: violated, dark, over cited, light) and per body its
/// three most violated norms.
fn norms_section(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let norms = &answer.patterns.norms;
    let mut ranked: Vec<&crate::search::NormCount> =
        norms.overall.iter().filter(|norm| norm.cited > 0).collect();
    ranked.sort_by(|a, b| (b.violated, b.cited, a.number).cmp(&(a.violated, a.cited, b.number)));
    let mut html = format!(
        "<section id=\"norms\"><h2>{}</h2><p class=\"note\">{}</p>",
        language.text("Behoorlijkheidsnormen", "Norms of proper conduct"),
        language.text(
            "Donker: oordelen die de norm geschonden vinden (een (deels) gegrond klachtonderdeel dat de norm noemt); licht: oordelen die de norm noemen.",
            "Dark: judgements finding the norm violated (a (partly) well-founded part citing it); light: judgements citing it."
        )
    );
    if ranked.is_empty() {
        return html + &no_judgements(language) + "</section>";
    }
    let most = ranked
        .iter()
        .map(|norm| norm.cited)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let height = 10 + ranked.len() * 20;
    html.push_str(&format!(
        "<svg viewBox=\"0 0 820 {height}\" width=\"820\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        language.text("Geschonden normen", "Norms violated")
    ));
    for (row, norm) in ranked.iter().enumerate() {
        let y = 6.0 + row as f64 * 20.0;
        html.push_str(&format!(
            "<a href=\"{}\"><title>{}: {} {}, {} {}</title><text x=\"294\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"12\">{}</text>\
<rect x=\"300\" y=\"{y:.1}\" width=\"{:.1}\" height=\"12\" fill=\"{LIGHT_BLUE}\"/><rect x=\"300\" y=\"{y:.1}\" width=\"{:.1}\" height=\"12\" fill=\"{BLUE}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{} / {}</text></a>",
            html_escape(&norm.violated_link.html),
            html_escape(&norm.name),
            norm.violated,
            language.text("geschonden", "violated"),
            norm.cited,
            language.text("genoemd", "cited"),
            y + 11.0,
            html_escape(&short(&norm.name, 40)),
            400.0 * norm.cited as f64 / most,
            400.0 * norm.violated as f64 / most,
            308.0 + 400.0 * norm.cited as f64 / most,
            y + 11.0,
            norm.violated,
            norm.cited,
        ));
    }
    html.push_str("</svg>");
    html.push_str(&norms_per_body_table(answer, language));
    html.push_str("</section>");
    html
}

fn norms_per_body_table(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let mut html = format!(
        "<h3>{}</h3><div class=\"scroll\"><table class=\"patterns\"><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>",
        language.text("Meest geschonden normen per organisatie", "Most violated norms per body"),
        language.text("Organisatie", "Body"),
        language.text("Geschonden (aantal oordelen)", "Violated (judgements)")
    );
    for body in answer.patterns.per_body.iter().take(BODIES_SHOWN) {
        let Some(norms) = answer
            .patterns
            .norms
            .per_body
            .iter()
            .find(|norms| norms.publisher == body.publisher)
        else {
            continue;
        };
        let violated: Vec<String> = norms
            .norms
            .iter()
            .filter(|norm| norm.violated > 0)
            .take(3)
            .map(|norm| {
                link(
                    &norm.violated_link,
                    &format!("{} ({})", norm.name, norm.violated),
                )
            })
            .collect();
        if violated.is_empty() {
            continue;
        }
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td></tr>",
            link(&body.share.link, &body.publisher),
            violated.join(", ")
        ));
    }
    html.push_str("</tbody></table></div>");
    html
}

/// Subjects whose share rose or fell significantly from one year to the next.
fn trends_section(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let trends = &answer.patterns.subject_trends;
    let mut html = format!(
        "<section id=\"trends\"><h2>{}</h2><p class=\"note\">{} {} {}</p>",
        language.text("Stijgende en dalende onderwerpen", "Rising and falling subjects"),
        language.text(
            "Aandeel van een onderwerp in jaar J tegen J−1, getoetst met een z-toets voor twee proporties; Benjamini–Hochberg over alle",
            "A subject's share in year Y against Y−1, two-proportion z-test; Benjamini–Hochberg over all"
        ),
        trends.tests,
        language.text("toetsen, q = 0,05.", "tests, q = 0.05.")
    );
    let changes: Vec<(&str, &crate::search::SubjectChange)> = trends
        .rising
        .iter()
        .map(|change| ("▲", change))
        .chain(trends.falling.iter().map(|change| ("▼", change)))
        .collect();
    if changes.is_empty() {
        html.push_str(&format!(
            "<p>{}</p></section>",
            language.text(
                "Geen significante verschuivingen.",
                "No significant shifts."
            )
        ));
        return html;
    }
    html.push_str(&format!(
        "<table class=\"patterns\"><thead><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>z</th><th>p</th><th>q</th></tr></thead><tbody>",
        language.text("Onderwerp", "Subject"),
        language.text("Jaar", "Year"),
        language.text("Aandeel", "Share"),
        language.text("Jaar ervoor", "Year before"),
    ));
    for (arrow, change) in changes {
        html.push_str(&format!(
            "<tr><td>{arrow}</td><td>{}</td><td>{}</td><td class=\"n\">{} ({}/{})</td><td class=\"n\">{} ({}/{})</td><td class=\"n\">{:.2}</td><td class=\"n\">{:.1e}</td><td class=\"n\">{:.1e}</td></tr>",
            link(&change.link, &change.subject),
            html_escape(&change.year),
            percent(Some(change.share)),
            change.count,
            change.total,
            percent(Some(change.previous_share)),
            change.previous_count,
            change.previous_total,
            change.z,
            change.p,
            change.q_value,
        ));
    }
    html.push_str("</tbody></table></section>");
    html
}

/// The recurring themes: top terms, count (a link to their search) and example judgements.
fn themes_section(answer: &ComplaintAnswer, language: UiLanguage) -> String {
    let mut html = format!(
        "<section id=\"themes\"><h2>{}</h2><p class=\"note\">{}</p>",
        language.text("Terugkerende thema's", "Recurring themes"),
        language.text(
            "Groepen gelijkende oordelen, gevonden in onderwerp, samenvatting en titel (tf-idf en k-means over alle klachtoordelen in de index).",
            "Groups of similar judgements, found in subject, summary and title (tf-idf and k-means over all complaint judgements of the index)."
        )
    );
    if answer.patterns.themes.is_empty() {
        return html + "<p>–</p></section>";
    }
    html.push_str("<ul class=\"themes\">");
    for theme in &answer.patterns.themes {
        let examples: Vec<String> = theme
            .examples
            .iter()
            .map(|example| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    html_escape(&example.link),
                    html_escape(&short(&example.title, 80))
                )
            })
            .collect();
        html.push_str(&format!(
            "<li><strong>{}</strong> · {} · {}: {}</li>",
            html_escape(&theme.terms.join(", ")),
            link(
                &theme.link,
                &format!(
                    "{} {}",
                    theme.judgements,
                    language.text("oordelen", "judgements")
                )
            ),
            language.text("bijvoorbeeld", "for example"),
            examples.join("; ")
        ));
    }
    html.push_str("</ul></section>");
    html
}
