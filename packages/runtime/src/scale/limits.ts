/** Largest values of the unsigned Rust integers the runtime saturates at (`u64::MAX`, `u128::MAX`). */
export const U64_MAX = (1n << 64n) - 1n;
export const U128_MAX = (1n << 128n) - 1n;
