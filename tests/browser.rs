//! The journalist's flow in a real browser: Debian's headless Chromium driven by chromedriver
//! (WebDriver, through fantoccini) against the real server on 127.0.0.1 over the fixtures.
//! Screenshots of every step go to `target/browser-screenshots/`. Without `chromium` or
//! `chromedriver` on the PATH the test prints `skipped: ...` and passes.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, ensure, Context};
use fantoccini::{Client, ClientBuilder, Locator};
use woo_server::AppState;

use crate::common::fixture_index;

/// The first of `names` found on the PATH.
fn find_program(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for directory in std::env::split_paths(&path) {
        for name in names {
            let candidate = directory.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// chromedriver (in its own process group, so Chromium started by it goes with it) and the
/// fresh Chromium profile. Dropping it kills them, also when an assertion failed.
struct BrowserProcesses {
    chromedriver: Child,
    profile: tempfile::TempDir,
}

impl BrowserProcesses {
    fn start(chromedriver: &Path, port: u16) -> anyhow::Result<BrowserProcesses> {
        use std::os::unix::process::CommandExt;
        let profile = tempfile::tempdir().context("chromium profile dir")?;
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}", chromedriver.display()))?;
        Ok(BrowserProcesses {
            chromedriver: child,
            profile,
        })
    }

    /// Processes whose command line names our profile dir (the Chromium processes), by pid.
    fn chromium_pids(&self) -> Vec<u32> {
        let marker = self.profile.path().to_string_lossy().into_owned();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        let mut pids = Vec::new();
        for entry in entries.flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
                continue;
            };
            let Ok(command_line) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            if String::from_utf8_lossy(&command_line).contains(&marker) {
                pids.push(pid);
            }
        }
        pids
    }
}

impl Drop for BrowserProcesses {
    fn drop(&mut self) {
        let group = format!("-{}", self.chromedriver.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        for pid in self.chromium_pids() {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.chromedriver.kill();
        let _ = self.chromedriver.wait();
    }
}

/// Open `/complaints`, see its SVG charts drawn, and follow a body's bar to its search.
async fn complaints_flow(client: &Client, base: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/complaints")).await?;
    let chart = client.find(Locator::Css("#per-body svg")).await?;
    let size = chart.rectangle().await?;
    ensure!(
        size.2 > 300.0 && size.3 > 100.0,
        "the chart is drawn: {size:?}"
    );
    client.find(Locator::Id("national-share")).await?;
    screenshot(client, "06-complaints").await?;
    let bar = client
        .find(Locator::Css("#per-body svg a[href*=\"Hoogland\"] rect"))
        .await?;
    bar.click().await?;
    let url = wait_for_url_containing(client, "publisher=Gemeente%20Hoogland").await?;
    ensure!(url.contains("category=2l"), "{url}");
    let total = shown_total(client).await?;
    ensure!(
        total == 48,
        "the bar's search finds its 48 well-founded judgements, not {total}"
    );
    screenshot(client, "07-complaints-search").await?;
    Ok(())
}

/// From a search result to its e-mail thread, from the thread to a message's document (which
/// says it belongs to the thread), and from a document's near-duplicates to the comparison of
/// their redactions.
async fn threads_and_duplicates_flow(
    client: &Client,
    base: &str,
    duplicate_id: &str,
) -> anyhow::Result<()> {
    client.goto(&format!("{base}/?q=mondkapjes")).await?;
    let thread_link = client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(".meta a[href^=\"/threads/\"]"))
        .await?;
    thread_link.click().await?;
    wait_for_url_containing(client, "/threads/").await?;
    let messages = client
        .find_all(Locator::Css("ol.thread-messages > li"))
        .await?;
    ensure!(
        messages.len() >= 2,
        "the thread page lists its messages: {}",
        messages.len()
    );
    screenshot(client, "08-thread").await?;
    client
        .find(Locator::Css("ol.thread-messages a[href^=\"/documents/\"]"))
        .await?
        .click()
        .await?;
    wait_for_url_containing(client, "/documents/").await?;
    let note = client
        .find(Locator::Css("section.thread"))
        .await?
        .text()
        .await?;
    ensure!(note.contains("reeks van"), "the thread note: {note:?}");
    screenshot(client, "09-thread-document").await?;
    client
        .goto(&format!("{base}/documents/{duplicate_id}"))
        .await?;
    client
        .find(Locator::Css("section.duplicates a[href*=\"/compare/\"]"))
        .await?
        .click()
        .await?;
    wait_for_url_containing(client, "/compare/").await?;
    let marked = client
        .find_all(Locator::Css("table.compare td.redacted"))
        .await?;
    ensure!(
        !marked.is_empty(),
        "the comparison marks what one side redacts"
    );
    screenshot(client, "10-compare").await?;
    Ok(())
}

fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("browser-screenshots")
}

async fn screenshot(client: &Client, name: &str) -> anyhow::Result<()> {
    let png = client.screenshot().await?;
    let path = screenshot_dir().join(format!("{name}.png"));
    std::fs::write(&path, png).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// Waits until the browser's URL contains `part`.
async fn wait_for_url_containing(client: &Client, part: &str) -> anyhow::Result<String> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let url = client.current_url().await?.to_string();
        if url.contains(part) {
            return Ok(url);
        }
        if Instant::now() > deadline {
            return Err(anyhow!("url {url} never came to contain {part:?}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The number of documents in the results heading ("7 documenten (2 ms)").
async fn shown_total(client: &Client) -> anyhow::Result<usize> {
    let heading = client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id("results-heading"))
        .await?
        .text()
        .await?;
    heading
        .split_whitespace()
        .next()
        .and_then(|number| number.parse().ok())
        .ok_or_else(|| anyhow!("no total in heading {heading:?}"))
}

/// Fetches `path` from inside the page (as a click on the link would, without a download).
async fn fetch_in_page(client: &Client, path: &str) -> anyhow::Result<String> {
    let script = "const done = arguments[arguments.length - 1];\
fetch(arguments[0]).then(r => r.text()).then(done, e => done('fetch failed: ' + e));";
    let answer = client
        .execute_async(script, vec![serde_json::Value::from(path)])
        .await?;
    answer
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow!("fetch of {path} gave {answer}"))
}

/// Type a query, submit, click a facet, follow a snippet to the document page, open the
/// export and the feed.
async fn journalist_flow(client: &Client, base: &str) -> anyhow::Result<()> {
    client.goto(&format!("{base}/")).await?;
    screenshot(client, "01-start").await?;
    let lang = client
        .find(Locator::Css("html"))
        .await?
        .attr("lang")
        .await?;
    ensure!(lang.as_deref() == Some("nl"), "lang attribute {lang:?}");
    // The style sheet is a file of ours (the Content-Security-Policy allows no inline
    // style): the header is blue only when the browser loaded and applied it.
    let header_colour = client
        .execute(
            "return getComputedStyle(document.querySelector('header')).backgroundColor;",
            vec![],
        )
        .await?;
    ensure!(
        header_colour == "rgb(21, 66, 115)",
        "the style sheet is not applied: header background {header_colour}"
    );

    let search_box = client.find(Locator::Id("q")).await?;
    search_box.send_keys("mondkapjes").await?;
    client
        .find(Locator::Css("form.search button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_for_url_containing(client, "q=mondkapjes").await?;
    let total = shown_total(client).await?;
    ensure!(
        total >= 3,
        "mondkapjes finds several documents, not {total}"
    );
    screenshot(client, "02-results").await?;

    let facet = client
        .find(Locator::Css("nav.facets a[href*=\"ground=5.1.2i\"]"))
        .await?;
    facet.click().await?;
    wait_for_url_containing(client, "ground=5.1.2i").await?;
    let narrowed = shown_total(client).await?;
    ensure!(
        narrowed >= 1 && narrowed < total,
        "the facet narrowed {total} to {narrowed}"
    );
    let selected = client
        .find(Locator::Css("nav.facets a[aria-current=true]"))
        .await?
        .text()
        .await?;
    ensure!(selected.contains("5.1.2i"), "selected facet {selected:?}");
    screenshot(client, "03-facet").await?;
    let results_url = client.current_url().await?.to_string();

    let export_href = client
        .find(Locator::Id("export-csv"))
        .await?
        .attr("href")
        .await?
        .ok_or_else(|| anyhow!("export link without href"))?;
    let feed_href = client
        .find(Locator::Id("feed"))
        .await?
        .attr("href")
        .await?
        .ok_or_else(|| anyhow!("feed link without href"))?;

    let snippet_link = client.find(Locator::Css("p.hit a.page")).await?;
    snippet_link.click().await?;
    wait_for_url_containing(client, "/documents/").await?;
    let page_text = client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Id("page-text"))
        .await?;
    let marks = page_text.find_all(Locator::Css("mark")).await?;
    ensure!(!marks.is_empty(), "the page text has highlights");
    let marked = marks[0].text().await?.to_lowercase();
    ensure!(marked.starts_with("mondkapje"), "highlighted {marked:?}");
    let heading = client.find(Locator::Id("viewer")).await?.text().await?;
    ensure!(
        heading.contains(" van "),
        "page N of M heading: {heading:?}"
    );
    client.find(Locator::Css("iframe")).await?;
    screenshot(client, "04-document").await?;

    client.goto(&results_url).await?;
    let csv = fetch_in_page(client, &export_href).await?;
    ensure!(
        csv.starts_with(
            "id,title,publisher,category,type,date,judgement,grounds,page_count,source,url"
        ),
        "CSV export: {csv}"
    );
    ensure!(
        csv.lines().count() == narrowed + 1,
        "CSV has a row per result: {csv}"
    );
    let feed = fetch_in_page(client, &feed_href).await?;
    ensure!(
        feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""),
        "{feed}"
    );
    ensure!(feed.matches("<entry>").count() == narrowed, "{feed}");
    client.goto(&format!("{base}{export_href}")).await.ok();
    client.goto(&format!("{base}{feed_href}")).await?;
    screenshot(client, "05-feed").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journalist_flow_in_headless_chromium() {
    let Some(chromium) = find_program(&["chromium", "chromium-browser"]) else {
        println!("skipped: chromium is not installed (apt-get install chromium chromium-driver)");
        return;
    };
    let Some(chromedriver) = find_program(&["chromedriver"]) else {
        println!("skipped: chromedriver is not installed (apt-get install chromium-driver)");
        return;
    };
    std::fs::create_dir_all(screenshot_dir()).expect("screenshot dir");

    let state = AppState {
        search: fixture_index().search.clone(),
        admin: None,
        rate_limit: None,
        public_url: None,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the server");
    let address = listener.local_addr().expect("server address");
    // The real server (hyper with its timeouts, the security headers), not a bare router.
    let server = tokio::spawn(woo_server::serve_with_limits(
        listener,
        state,
        woo_server::ConnectionLimits::default(),
        std::future::pending(),
    ));

    let port = free_port();
    let processes = BrowserProcesses::start(&chromedriver, port).expect("start chromedriver");
    let ready_deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < ready_deadline,
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        serde_json::json!({
            "binary": chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1280,1000",
                format!("--user-data-dir={}", processes.profile.path().display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session with headless Chromium");

    let mut outcome = journalist_flow(&client, &format!("http://{address}")).await;
    // The complaint patterns page on a server of the planted judgements.
    let complaints_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the complaints server");
    let complaints_address = complaints_listener.local_addr().expect("server address");
    let complaints_server = tokio::spawn(woo_server::serve_with_limits(
        complaints_listener,
        AppState {
            search: crate::complaints::planted_search(),
            admin: None,
            rate_limit: None,
            public_url: None,
        },
        woo_server::ConnectionLimits::default(),
        std::future::pending(),
    ));
    if outcome.is_ok() {
        outcome = complaints_flow(&client, &format!("http://{complaints_address}")).await;
    }
    // E-mail threads and near-duplicates on a server of the judged conversations.
    let threads_search = crate::threads::thread_search();
    let duplicate_id = threads_search
        .table()
        .entries
        .iter()
        .find(|entry| {
            entry.stored.fields.source == format!("{}-a.pdf", crate::threads::DUPLICATE_PAIR)
        })
        .map(|entry| entry.stored.fields.id.clone())
        .expect("the near-duplicate pair is indexed");
    let threads_listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the threads server");
    let threads_address = threads_listener.local_addr().expect("server address");
    let threads_server = tokio::spawn(woo_server::serve_with_limits(
        threads_listener,
        AppState {
            search: threads_search,
            admin: None,
            rate_limit: None,
            public_url: None,
        },
        woo_server::ConnectionLimits::default(),
        std::future::pending(),
    ));
    if outcome.is_ok() {
        let base = format!("http://{threads_address}");
        outcome = threads_and_duplicates_flow(&client, &base, &duplicate_id).await;
    }
    let _ = client.close().await;
    drop(processes);
    server.abort();
    complaints_server.abort();
    threads_server.abort();
    if let Err(error) = outcome {
        panic!("browser flow failed: {error:#}");
    }
}
