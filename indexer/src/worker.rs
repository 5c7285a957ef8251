//! Extraction (of a PDF, or of any format [`crate::readers`] reads, chosen by the file name) in
//! a child process with resource limits (RELIABILITY.md §2.6), and the outcome class of every
//! file.
//!
//! lopdf has had stack overflows and allocation aborts that no `catch_unwind` can stop: they
//! end the process. So `woo index` and the admin upload run each file's extraction in a child,
//! `woo extract-worker`, which reads the PDF on stdin and writes one JSON [`WorkerAnswer`] on
//! stdout. The child is started through `/bin/sh` with `ulimit` (no `unsafe` `pre_exec`
//! needed; the workspace forbids `unsafe`): address space 1 GiB (`-v`), CPU 60 s (`-t`),
//! no file writes (`-f 0`). The parent enforces a wall-clock timeout (kill), reads stdout with a
//! cap, and turns a child killed by a signal into `resource_limit`.
//!
//! Without a worker program (library users, tests without the binary) extraction runs in
//! process behind `catch_unwind`, which catches panics but not aborts.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::IndexerError;
use crate::pdf::PdfLimits;
use crate::readers::read_file;
use woo_core::model::ExtractedPdf;

/// Address-space limit of a worker, in KiB (1 GiB).
pub const WORKER_ADDRESS_SPACE_KIB: u64 = 1024 * 1024;
/// CPU-time limit of a worker, in seconds.
pub const WORKER_CPU_SECONDS: u64 = 60;
/// Wall-clock limit of a worker, enforced by the parent.
pub const WORKER_WALL_CLOCK: Duration = Duration::from_secs(90);
/// Most bytes read from a worker's stdout.
pub const WORKER_OUTPUT_CAP_BYTES: u64 = 64 * 1024 * 1024;
/// Largest PDF a worker reads from stdin.
pub const WORKER_INPUT_CAP_BYTES: u64 = 1024 * 1024 * 1024;

/// What happened to one file (Aleph's status model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeClass {
    /// Text extracted.
    Indexed,
    /// Text extracted from the first pages only: the rest is beyond the page limit.
    IndexedTruncated,
    /// Pages, but no text on any of them (a scan without OCR, or a hostile empty success).
    NoText,
    /// Needs a password.
    Encrypted,
    /// Damaged beyond recovery.
    Malformed,
    /// The extractor panicked.
    Panicked,
    /// The worker died from a limit (memory, CPU) or a signal, or an extraction limit was hit.
    ResourceLimit,
    /// The worker took longer than the wall-clock limit and was killed.
    Timeout,
    /// Not a PDF at all.
    UnsupportedType,
}

/// The worker's one line of output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WorkerAnswer {
    /// Outcome class.
    pub class: OutcomeClass,
    /// Error message when not extracted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The extraction, when it succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdf: Option<ExtractedPdf>,
}

/// The class of an extraction error.
pub fn classify_error(error: &IndexerError) -> OutcomeClass {
    match error {
        IndexerError::NotPdf(_) | IndexerError::UnsupportedFormat { .. } => {
            OutcomeClass::UnsupportedType
        }
        IndexerError::Encrypted(_) => OutcomeClass::Encrypted,
        IndexerError::Panicked { .. } => OutcomeClass::Panicked,
        IndexerError::Limit { .. } => OutcomeClass::ResourceLimit,
        _ => OutcomeClass::Malformed,
    }
}

/// The class of a successful extraction: `no_text` when no page has any text.
pub fn classify_success(pdf: &ExtractedPdf) -> OutcomeClass {
    let any_text = pdf.pages.iter().any(|page| !page.text.trim().is_empty());
    // A scan is `no_text` here; the indexer classifies again after OCR.
    if !any_text {
        return OutcomeClass::NoText;
    }
    if pdf.truncated {
        return OutcomeClass::IndexedTruncated;
    }
    OutcomeClass::Indexed
}

/// Extracts in this process behind `catch_unwind` and classifies.
pub fn extract_in_process(name: &str, bytes: &[u8], limits: &PdfLimits) -> WorkerAnswer {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_file(name, bytes, limits)
    }));
    match outcome {
        Ok(Ok(pdf)) => WorkerAnswer {
            class: classify_success(&pdf),
            message: None,
            pdf: Some(pdf),
        },
        Ok(Err(error)) => WorkerAnswer {
            class: classify_error(&error),
            message: Some(error.to_string()),
            pdf: None,
        },
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".to_string());
            let error = IndexerError::Panicked {
                name: name.to_string(),
                message,
            };
            WorkerAnswer {
                class: OutcomeClass::Panicked,
                message: Some(error.to_string()),
                pdf: None,
            }
        }
    }
}

/// The body of `woo extract-worker`: PDF on stdin, one JSON answer on stdout.
pub fn run_worker_on_stdio(name: &str) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(WORKER_INPUT_CAP_BYTES)
        .read_to_end(&mut bytes)?;
    let answer = extract_in_process(name, &bytes, &PdfLimits::default());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer(&mut out, &answer).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn failed(class: OutcomeClass, name: &str, message: String) -> WorkerAnswer {
    WorkerAnswer {
        class,
        message: Some(format!("{name}: {message}")),
        pdf: None,
    }
}

/// Extracts `bytes` in a child `program extract-worker` under the limits above.
pub fn extract_in_worker(program: &Path, name: &str, bytes: &[u8]) -> WorkerAnswer {
    extract_in_worker_with_timeout(program, name, bytes, WORKER_WALL_CLOCK)
}

/// [`extract_in_worker`] with a chosen wall-clock limit.
pub fn extract_in_worker_with_timeout(
    program: &Path,
    name: &str,
    bytes: &[u8],
    wall_clock: Duration,
) -> WorkerAnswer {
    let script = format!(
        "ulimit -v {WORKER_ADDRESS_SPACE_KIB} && ulimit -t {WORKER_CPU_SECONDS} && ulimit -f 0 && exec \"$0\" extract-worker \"$1\""
    );
    let spawned = Command::new("/bin/sh")
        .arg("-c")
        .arg(script)
        .arg(program)
        .arg(name)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(error) => {
            return failed(
                OutcomeClass::Malformed,
                name,
                format!("cannot start the extraction worker: {error}"),
            )
        }
    };
    let stdin = child.stdin.take();
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            // A worker that dies early closes the pipe: that error is its outcome, not ours.
            let _ = stdin.write_all(&input);
        }
    });
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut output = Vec::new();
        if let Some(stdout) = stdout {
            let _ = stdout
                .take(WORKER_OUTPUT_CAP_BYTES)
                .read_to_end(&mut output);
        }
        output
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        if started.elapsed() > wall_clock {
            let _ = child.kill();
            let _ = child.wait();
            let _ = writer.join();
            let _ = reader.join();
            return failed(
                OutcomeClass::Timeout,
                name,
                format!("extraction took longer than {} s", wall_clock.as_secs()),
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    let output = reader.join().unwrap_or_default();
    if let Some(status) = status {
        if let Some(signal) = exit_signal(&status) {
            return failed(
                OutcomeClass::ResourceLimit,
                name,
                format!("extraction worker killed by signal {signal} (memory, CPU or stack limit)"),
            );
        }
    }
    match serde_json::from_slice::<WorkerAnswer>(&output) {
        Ok(answer) => answer,
        Err(_) if output.len() as u64 >= WORKER_OUTPUT_CAP_BYTES => failed(
            OutcomeClass::ResourceLimit,
            name,
            "extraction worker output over its cap".to_string(),
        ),
        Err(_) => failed(
            OutcomeClass::Panicked,
            name,
            format!(
                "extraction worker ended ({}) without an answer",
                status.map_or("unknown status".to_string(), |status| status.to_string())
            ),
        ),
    }
}

#[cfg(unix)]
fn exit_signal(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn exit_signal(_status: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Extracts with the worker when a program is given, else in process.
pub fn extract_isolated(
    worker: Option<&PathBuf>,
    name: &str,
    bytes: &[u8],
    limits: &PdfLimits,
) -> WorkerAnswer {
    match worker {
        Some(program) if program.is_file() => extract_in_worker(program, name, bytes),
        _ => extract_in_process(name, bytes, limits),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_pdf_bytes_are_unsupported_and_garbage_pdf_is_malformed() {
        let answer = extract_in_process("x.pdf", b"\x89PNG\r\n", &PdfLimits::default());
        assert_eq!(answer.class, OutcomeClass::UnsupportedType);
        let answer = extract_in_process("y.pdf", b"%PDF-1.7\ngarbage", &PdfLimits::default());
        assert!(
            matches!(answer.class, OutcomeClass::Malformed | OutcomeClass::NoText),
            "{answer:?}"
        );
    }

    #[test]
    fn a_missing_worker_program_is_reported_not_fatal() {
        let answer = extract_in_worker(Path::new("/nonexistent/woo"), "a.pdf", b"%PDF-1.4");
        assert_ne!(answer.class, OutcomeClass::Indexed);
        assert!(answer.pdf.is_none());
    }
}
