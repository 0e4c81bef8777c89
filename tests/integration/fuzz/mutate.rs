//! Mutations of a seed input, as a fuzzer makes them: bits, bytes, tokens, numbers, fields and
//! lines changed, inserted, duplicated, deleted or swapped; drawn from a seeded ChaCha stream,
//! so that execution `i` of a target always sees the same input.

use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt};

/// Numbers at the edges: zero, signs, the limits of i64/u64/u32/f64, 2^40, NaN and infinities.
pub const NUMBERS: [&str; 26] = [
    "0",
    "-1",
    "1",
    "-0",
    "0.5",
    "100",
    "101",
    "1e308",
    "-1e308",
    "1e-308",
    "NaN",
    "inf",
    "-inf",
    "4294967295",
    "4294967296",
    "2147483648",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "1099511627776",
    "1e18",
    "1e9",
    "65536",
    "3.5e38",
    "99999999999999999999999999",
];

/// Tokens of the formats' syntax: separators, quotes, brackets, TOML and CSV punctuation.
pub const TOKENS: [&str; 24] = [
    ",", ";", ";\t", "\n", "\r\n", "\"", "'", "[", "]", "[[", "]]", "=", "#", "\t", " ", "{", "}",
    "\\", "NULL", ">24", "\u{feff}", "é", "\0", ".",
];

/// Applies 1 to 8 random mutations to `data`, keeping it under `max_len` bytes.
pub fn mutate(rng: &mut ChaCha8Rng, data: &mut Vec<u8>, max_len: usize) {
    let n = 1 + rng.random_range(0..8u32);
    for _ in 0..n {
        one(rng, data);
        data.truncate(max_len);
    }
}

fn pick<'a>(rng: &mut ChaCha8Rng, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

fn one(rng: &mut ChaCha8Rng, d: &mut Vec<u8>) {
    let len = d.len();
    let at = |rng: &mut ChaCha8Rng| {
        if len == 0 {
            0
        } else {
            rng.random_range(0..=len)
        }
    };
    match rng.random_range(0..12u32) {
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            d[i] ^= 1 << rng.random_range(0..8u32);
        }
        1 if len > 0 => {
            let i = rng.random_range(0..len);
            d[i] = rng.next_u32() as u8;
        }
        2 => {
            let i = at(rng);
            let t = pick(rng, &TOKENS).as_bytes().to_vec();
            d.splice(i..i, t);
        }
        3 if len > 0 => {
            let i = rng.random_range(0..len);
            let n = rng.random_range(1..=16usize).min(len - i);
            d.drain(i..i + n);
        }
        4 if len > 0 => {
            let i = rng.random_range(0..len);
            let n = rng.random_range(1..=64usize).min(len - i);
            let piece = d[i..i + n].to_vec();
            let j = at(rng);
            d.splice(j..j, piece);
        }
        5 => replace_number(rng, d),
        6 => with_lines(d, |lines| {
            let i = rng.random_range(0..lines.len());
            let times = if rng.random_bool(0.1) { 1000 } else { 1 };
            for _ in 0..times {
                lines.insert(i, lines[i].clone());
            }
        }),
        7 => with_lines(d, |lines| {
            if lines.len() > 1 {
                lines.remove(rng.random_range(0..lines.len()));
            }
        }),
        8 => with_lines(d, |lines| {
            let (i, j) = (
                rng.random_range(0..lines.len()),
                rng.random_range(0..lines.len()),
            );
            lines.swap(i, j);
        }),
        9 if len > 0 => d.truncate(rng.random_range(0..len)),
        10 => replace_field(rng, d),
        _ => {
            let i = at(rng);
            let t = pick(rng, &NUMBERS).as_bytes().to_vec();
            d.splice(i..i, t);
        }
    }
}

/// Replaces a run of digits (with its sign, point and exponent) by an edge number.
fn replace_number(rng: &mut ChaCha8Rng, d: &mut Vec<u8>) {
    let starts: Vec<usize> = (0..d.len())
        .filter(|&i| d[i].is_ascii_digit() && (i == 0 || !d[i - 1].is_ascii_digit()))
        .collect();
    if starts.is_empty() {
        return;
    }
    let s = starts[rng.random_range(0..starts.len())];
    let mut e = s;
    while e < d.len() && (d[e].is_ascii_digit() || matches!(d[e], b'.' | b'e' | b'E')) {
        e += 1;
    }
    let s = if s > 0 && d[s - 1] == b'-' { s - 1 } else { s };
    let t = pick(rng, &NUMBERS).as_bytes().to_vec();
    d.splice(s..e, t);
}

/// Replaces the text between two separators (`,` `;` `=` space or line end) by a token or an
/// edge number.
fn replace_field(rng: &mut ChaCha8Rng, d: &mut Vec<u8>) {
    let is_sep = |b: u8| matches!(b, b',' | b';' | b'=' | b' ' | b'\n' | b'\t');
    let seps: Vec<usize> = (0..d.len()).filter(|&i| is_sep(d[i])).collect();
    if seps.is_empty() {
        return;
    }
    let s = seps[rng.random_range(0..seps.len())] + 1;
    let e = (s..d.len()).find(|&i| is_sep(d[i])).unwrap_or(d.len());
    let t = if rng.random_bool(0.5) {
        pick(rng, &NUMBERS)
    } else {
        pick(rng, &TOKENS)
    };
    d.splice(s..e, t.as_bytes().to_vec());
}

/// Edits `d` as lines (split on '\n', joined back).
fn with_lines(d: &mut Vec<u8>, f: impl FnOnce(&mut Vec<Vec<u8>>)) {
    let mut lines: Vec<Vec<u8>> = d.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    f(&mut lines);
    *d = lines.join(&b'\n');
}
