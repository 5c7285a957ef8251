//! The statistics of the complaint patterns: the Wilson score interval of a share, the
//! two-proportion z-test, the Benjamini–Hochberg adjustment of many p-values and the median.
//! Pure functions on counts (depends on nothing else in the crate).

/// The normal quantile of a two-sided 95% interval.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// A share's 95% Wilson score interval (`low..=high`, both in 0..=1).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Interval {
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Interval {
    /// Whether `share` lies outside the interval.
    pub fn excludes(&self, share: f64) -> bool {
        share < self.low || share > self.high
    }
}

/// The 95% Wilson score interval of `successes` out of `trials`; `None` without trials. Unlike
/// the normal approximation it stays inside 0..=1 and is wide for small counts, so that a body
/// with 3 judgements does not look like an outlier by chance.
pub fn wilson_interval(successes: usize, trials: usize) -> Option<Interval> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let share = successes as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (share + z2 / (2.0 * n)) / denominator;
    let half_width = Z_95 * (share * (1.0 - share) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // At 0 or all successes a bound is exactly 0 or 1 (rounding would leave 0.9999…).
    let low = if successes == 0 {
        0.0
    } else {
        (centre - half_width).max(0.0)
    };
    let high = if successes == trials {
        1.0
    } else {
        (centre + half_width).min(1.0)
    };
    Some(Interval { low, high })
}

/// The complementary error function (Numerical Recipes' Chebyshev fit, relative error below
/// 1.2e-7 everywhere, so small p-values keep their digits).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let polynomial = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let value = t * polynomial.exp();
    if x >= 0.0 {
        value
    } else {
        2.0 - value
    }
}

/// The two-sided p-value of a standard normal statistic `z`.
pub fn two_sided_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2).min(1.0)
}

/// A two-proportion z-test: the statistic (positive when the second share is larger) and its
/// two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProportionTest {
    /// The z statistic, with the pooled share's standard error.
    pub z: f64,
    /// The two-sided p-value.
    pub p: f64,
}

/// Tests whether `second_successes / second_trials` differs from `first_successes /
/// first_trials` (pooled two-proportion z-test); `None` when a side has no trials or the pooled
/// share is 0 or 1 (no variation to test).
pub fn two_proportion_z_test(
    first_successes: usize,
    first_trials: usize,
    second_successes: usize,
    second_trials: usize,
) -> Option<ProportionTest> {
    if first_trials == 0 || second_trials == 0 {
        return None;
    }
    let (n1, n2) = (first_trials as f64, second_trials as f64);
    let (p1, p2) = (first_successes as f64 / n1, second_successes as f64 / n2);
    let pooled = (first_successes + second_successes) as f64 / (n1 + n2);
    if pooled <= 0.0 || pooled >= 1.0 {
        return None;
    }
    let standard_error = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let z = (p2 - p1) / standard_error;
    Some(ProportionTest {
        z,
        p: two_sided_p(z),
    })
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the order of `p_values`: a test is
/// significant at false-discovery rate `q` when its adjusted value is at most `q`.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let count = p_values.len();
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut adjusted = vec![1.0; count];
    let mut running_minimum: f64 = 1.0;
    for (rank_from_end, &index) in order.iter().enumerate().rev() {
        let rank = rank_from_end + 1;
        let value = p_values[index] * count as f64 / rank as f64;
        running_minimum = running_minimum.min(value);
        adjusted[index] = running_minimum.min(1.0);
    }
    adjusted
}

/// The median of sorted values (the mean of the middle two for an even count).
pub fn median_of_sorted(sorted: &[i64]) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let middle = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        return Some(sorted[middle] as f64);
    }
    Some((sorted[middle - 1] + sorted[middle]) as f64 / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn wilson_intervals_match_published_values() {
        // Newcombe (1998), table I: 81/263 -> 0.2553..0.3662; 15/148 -> 0.0624..0.1605.
        let interval = wilson_interval(81, 263).unwrap();
        assert!(close(interval.low, 0.2553, 5e-4), "{interval:?}");
        assert!(close(interval.high, 0.3662, 5e-4), "{interval:?}");
        let interval = wilson_interval(15, 148).unwrap();
        assert!(close(interval.low, 0.0624, 5e-4), "{interval:?}");
        assert!(close(interval.high, 0.1605, 5e-4), "{interval:?}");
        // 0 of 10 and 10 of 10 stay within 0..=1 and are not points.
        let none = wilson_interval(0, 10).unwrap();
        assert_eq!(none.low, 0.0);
        assert!(close(none.high, 0.2775, 5e-4), "{none:?}");
        let all = wilson_interval(10, 10).unwrap();
        assert!(close(all.low, 0.7225, 5e-4) && all.high == 1.0, "{all:?}");
        assert_eq!(wilson_interval(0, 0), None);
        // A small body's interval is wide: 2 of 3 includes a national 30%.
        assert!(!wilson_interval(2, 3).unwrap().excludes(0.30));
        assert!(wilson_interval(200, 300).unwrap().excludes(0.30));
    }

    #[test]
    fn p_values_of_the_normal_distribution() {
        assert!(close(two_sided_p(1.959_964), 0.05, 1e-6));
        assert!(close(two_sided_p(-2.575_829), 0.01, 1e-6));
        assert!(close(two_sided_p(0.0), 1.0, 1e-6));
        // Relative precision in the tail: p(z=6) = 1.973e-9.
        assert!(close(two_sided_p(6.0) / 1.973_175e-9, 1.0, 1e-4));
    }

    #[test]
    fn two_proportion_test_signs_and_values() {
        // 30/100 vs 50/100: pooled 0.4, se = sqrt(0.24 * 0.02) = 0.069282, z = 2.8868.
        let test = two_proportion_z_test(30, 100, 50, 100).unwrap();
        assert!(close(test.z, 2.8868, 1e-3), "{test:?}");
        assert!(close(test.p, 0.003_892, 1e-5), "{test:?}");
        let falling = two_proportion_z_test(50, 100, 30, 100).unwrap();
        assert!(close(falling.z, -test.z, 1e-12));
        assert_eq!(two_proportion_z_test(0, 100, 0, 50), None);
        assert_eq!(two_proportion_z_test(1, 0, 1, 5), None);
    }

    #[test]
    fn benjamini_hochberg_adjusts_as_r_does() {
        // R: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH")
        //    -> 0.025 0.050 0.050 0.025 0.500
        let adjusted = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005, 0.5]);
        let expected = [0.025, 0.05, 0.05, 0.025, 0.5];
        for (value, want) in adjusted.iter().zip(expected) {
            assert!(close(*value, want, 1e-12), "{adjusted:?}");
        }
        assert!(benjamini_hochberg(&[]).is_empty());
        // Many tests: one p of 0.01 among 100 is not significant at q = 0.05.
        let mut many = vec![0.5; 99];
        many.push(0.01);
        assert!(benjamini_hochberg(&many)[99] > 0.05);
    }

    #[test]
    fn medians() {
        assert_eq!(median_of_sorted(&[]), None);
        assert_eq!(median_of_sorted(&[3]), Some(3.0));
        assert_eq!(median_of_sorted(&[1, 2, 10, 11]), Some(6.0));
    }
}
