//! Many runs: the benchmark suite (`dcsim bench`).

pub mod bench;
