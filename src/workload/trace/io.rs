//! Opening trace files: plain or gzip (by the `.gz` ending), buffered, and CSV readers that keep
//! line numbers for messages.

use super::TraceError;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// A buffered reader of `path`, decompressing `.gz` files transparently.
pub fn open(path: &Path) -> Result<Box<dyn BufRead>, TraceError> {
    let file = File::open(path)
        .map_err(|e| TraceError::new(path, None, None, format!("cannot open: {e}")))?;
    let raw: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::with_capacity(
            1 << 16,
            file,
        )))
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, raw)))
}

/// What reading text that is not UTF-8 line by line (`BufRead::read_line`) fails with.
pub const INVALID_UTF8: &str = "stream did not contain valid UTF-8";

/// Appends the whole of `path` (gzip or not) to `buf`. Opening fails as `open` does; a read
/// that fails part way is the inner `Err`, with what was read before it left in `buf`.
pub fn read_all(path: &Path, buf: &mut Vec<u8>) -> Result<std::io::Result<()>, TraceError> {
    if path.extension().is_some_and(|e| e == "gz") {
        return Ok(open(path)?.read_to_end(buf).map(drop));
    }
    let mut file = File::open(path)
        .map_err(|e| TraceError::new(path, None, None, format!("cannot open: {e}")))?;
    Ok(read_to_end(&mut file, buf))
}

/// `Read::read_to_end` without `File`'s size probe (a statx and an lseek per file, a third of
/// the system calls of a folder of small per-VM files): through `Take`, which reads into
/// `buf`'s spare room (kept from the previous file) until a read returns 0.
fn read_to_end(file: &mut File, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.reserve(8 << 10);
    file.take(u64::MAX).read_to_end(buf).map(drop)
}

/// A CSV reader over `path` (gzip or not), with or without a header row, its fields trimmed.
pub fn csv_reader(
    path: &Path,
    has_header: bool,
    delimiter: u8,
) -> Result<csv::Reader<Box<dyn BufRead>>, TraceError> {
    Ok(builder(has_header, delimiter)
        .trim(csv::Trim::All)
        .from_reader(open(path)?))
}

/// Like `csv_reader` (no header row), but fields are left as they are: a reader that looks at
/// a few fields of each row trims those itself (`str::trim`, as `csv::Trim::All` does after
/// its ASCII pass), which spares trimming every field of every record twice. `number` and
/// `optional_number` trim what they parse.
pub fn csv_reader_untrimmed(
    path: &Path,
    delimiter: u8,
) -> Result<csv::Reader<Box<dyn BufRead>>, TraceError> {
    Ok(builder(false, delimiter).from_reader(open(path)?))
}

fn builder(has_header: bool, delimiter: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(has_header)
        .delimiter(delimiter)
        .flexible(true)
        .comment(Some(b'#'));
    b
}

/// Reads the next record into `record`; `false` at the end. Errors name file and line.
pub fn next_record(
    reader: &mut csv::Reader<Box<dyn BufRead>>,
    record: &mut csv::StringRecord,
    path: &Path,
) -> Result<bool, TraceError> {
    reader.read_record(record).map_err(|e| {
        let line = e.position().map(|p| p.line());
        TraceError::new(path, line, None, format!("malformed CSV: {e}"))
    })
}

/// The line a record started on.
pub fn line_of(record: &csv::StringRecord) -> u64 {
    record.position().map_or(0, |p| p.line())
}

/// Field `column` (0-based) of `record` parsed as a number, with a message naming the column
/// (1-based) and what was expected.
pub fn number(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<f64, TraceError> {
    let raw = record.get(column).map(trim).ok_or_else(|| {
        TraceError::new(
            path,
            Some(line_of(record)),
            Some(column + 1),
            format!(
                "missing field `{name}`: the row has {} fields",
                record.len()
            ),
        )
    })?;
    parse_f64(raw).filter(|v| v.is_finite()).ok_or_else(|| {
        TraceError::new(
            path,
            Some(line_of(record)),
            Some(column + 1),
            format!("field `{name}`: expected a number, found {raw:?}"),
        )
    })
}

/// `str::trim`, without decoding characters when the field begins and ends in printable ASCII
/// (nothing to trim then: no whitespace is in that range).
pub fn trim(s: &str) -> &str {
    let plain = |b: Option<&u8>| b.is_some_and(|&c| c > b' ' && c < 0x7f);
    let b = s.as_bytes();
    if plain(b.first()) && plain(b.last()) {
        s
    } else {
        s.trim()
    }
}

/// `raw` as `str::parse::<f64>` reads it; plain integers of up to 15 digits (what most trace
/// fields are) are read directly, which gives the same value: they are exact in an f64.
pub fn parse_f64(raw: &str) -> Option<f64> {
    let b = raw.as_bytes();
    if !b.is_empty() && b.len() <= 15 && b.iter().all(u8::is_ascii_digit) {
        return Some(b.iter().fold(0u64, |v, &d| v * 10 + (d - b'0') as u64) as f64);
    }
    raw.parse::<f64>().ok()
}

/// Like `number`, but an empty field is `None`.
pub fn optional_number(
    record: &csv::StringRecord,
    column: usize,
    name: &str,
    path: &Path,
) -> Result<Option<f64>, TraceError> {
    match record.get(column).map(trim) {
        None | Some("") => Ok(None),
        Some(_) => number(record, column, name, path).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::INVALID_UTF8;
    use std::io::BufRead;

    #[test]
    fn read_all_reads_every_byte_appended() {
        let dir = std::env::temp_dir().join(format!("dcsim-io-read-all-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut buf = b"kept".to_vec();
        // Empty, one byte, exactly one chunk, and several chunks and a bit.
        for len in [0usize, 1, 8 << 10, 20_011] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let path = dir.join(format!("f{len}"));
            std::fs::write(&path, &bytes).unwrap();
            buf.truncate(4);
            super::read_all(&path, &mut buf).unwrap().unwrap();
            assert_eq!(&buf[..4], b"kept");
            assert_eq!(&buf[4..], &bytes[..], "{len} bytes");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn trim_is_str_trim() {
        for s in [
            "",
            " ",
            "a",
            " a ",
            "\u{a0}1\u{3000}",
            "1\t",
            "x\u{85}",
            "\u{7f}",
            "a b",
            "\u{b}7",
        ] {
            assert_eq!(super::trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn integers_read_as_parse_reads_them() {
        for raw in [
            "0",
            "7",
            "00042",
            "999999999999999",
            "1000000000000000",
            "12345678901234567890",
            "",
            "-3",
            "+3",
            "1.5",
            "1e3",
            " 4",
            "nan",
            "inf",
            "0x10",
        ] {
            let want = raw.parse::<f64>().ok();
            assert_eq!(
                super::parse_f64(raw).map(f64::to_bits),
                want.map(f64::to_bits),
                "{raw:?}"
            );
        }
    }

    #[test]
    fn invalid_utf8_reads_as_read_line_says() {
        let mut text = String::new();
        let err = (&b"12\xff\n"[..]).read_line(&mut text).unwrap_err();
        assert_eq!(err.to_string(), INVALID_UTF8);
    }
}
