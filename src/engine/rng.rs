//! `RngStreams`: one portable ChaCha8 generator per purpose, all derived from the scenario seed.
//!
//! Each purpose (and, for workload classes, each class) draws from its own ChaCha stream, so a
//! change in how one consumer draws never shifts the numbers another consumer sees: switching the
//! placement policy leaves the workload unchanged.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// What a stream of random numbers is used for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Arrivals = 1,
    Sizes = 2,
    Lifetimes = 3,
    Usage = 4,
    Policy = 5,
    Rebalance = 6,
    /// Failures and repairs (one substream per entity kind).
    Failures = 7,
    /// Service instances' arrivals and lifetimes (one substream per service class).
    Services = 8,
}

/// Hands out independent generators derived from one seed.
#[derive(Clone, Copy, Debug)]
pub struct RngStreams {
    seed: u64,
}

impl RngStreams {
    pub fn new(seed: u64) -> RngStreams {
        RngStreams { seed }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The stream for `purpose`.
    pub fn stream(&self, purpose: Purpose) -> ChaCha8Rng {
        self.substream(purpose, 0)
    }

    /// The `index`-th independent stream for `purpose` (e.g. one per workload class).
    pub fn substream(&self, purpose: Purpose, index: u32) -> ChaCha8Rng {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        rng.set_stream(((purpose as u64) << 32) | index as u64);
        rng
    }
}

/// A stateless, portable 64-bit mix (SplitMix64's finaliser): counter-based noise that depends
/// only on its inputs, never on how many other numbers were drawn before.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A tiny counter-based generator: the n-th output is `mix64(key + n·φ)`. Cheap to create, so
/// each (workload, sample) pair gets its own, and nothing drawn elsewhere can shift it.
#[derive(Clone, Copy, Debug)]
pub struct CounterRng {
    state: u64,
}

impl CounterRng {
    pub fn new(key: u64) -> CounterRng {
        CounterRng { state: key }
    }
}

impl rand::TryRng for CounterRng {
    type Error = std::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.try_next_u64().map(|x| (x >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        Ok(mix64(self.state))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// A uniform number in [0, 1) from a 64-bit hash.
pub fn unit_from_bits(bits: u64) -> f64 {
    (bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn streams_are_reproducible_and_independent() {
        let s = RngStreams::new(7);
        let a1: Vec<u64> = (0..4)
            .map(|_| s.stream(Purpose::Arrivals).next_u64())
            .collect();
        assert!(
            a1.windows(2).all(|w| w[0] == w[1]),
            "same stream, same first draw"
        );
        let mut arr = s.stream(Purpose::Arrivals);
        let mut siz = s.stream(Purpose::Sizes);
        assert_ne!(arr.next_u64(), siz.next_u64());
        let mut c0 = s.substream(Purpose::Arrivals, 0);
        let mut c1 = s.substream(Purpose::Arrivals, 1);
        assert_ne!(c0.next_u64(), c1.next_u64());
        assert_ne!(
            RngStreams::new(8).stream(Purpose::Arrivals).next_u64(),
            s.stream(Purpose::Arrivals).next_u64()
        );
    }

    const PINNED_FIRST_DRAW: u64 = 0x91f7_1aab_9392_e510;
    // SplitMix64 seeded with 0 first returns 0xe220a8397b1dcdaf (Vigna's reference implementation).
    const PINNED_MIX64_ZERO: u64 = 0xe220_a839_7b1d_cdaf;

    #[test]
    fn chacha8_is_portable() {
        // A fixed value pins the generator: if the algorithm or seeding changed, every
        // published result would change with it.
        let first = RngStreams::new(42).stream(Purpose::Arrivals).next_u64();
        assert_eq!(
            first, PINNED_FIRST_DRAW,
            "ChaCha8 seeding or streams changed: {first:#x}"
        );
        assert_eq!(mix64(0), PINNED_MIX64_ZERO, "{:#x}", mix64(0));
        assert!(unit_from_bits(u64::MAX) < 1.0);
        assert_eq!(unit_from_bits(0), 0.0);
    }
}
