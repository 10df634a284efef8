//! Fault injection: what can go wrong between a merchant and PayerMax, on demand.
//!
//! A [`FaultPlan`] holds [`FaultRule`]s (a fault, optionally limited to one merchant, one api,
//! one `outTradeNo`, a number of times) and an optional seeded random mode ([`RandomFaults`]).
//! Faults apply to requests that passed the envelope checks (known merchant, good signature,
//! fresh `requestTime`): a request the sandbox refuses anyway gets its ordinary answer.
//!
//! For one request, every matching [`Fault::Latency`] rule adds its delay, and the first
//! matching rule with any other fault decides what happens; rules that did not fire keep their
//! remaining count.

use std::time::Duration;

/// One thing that goes wrong.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer this much later. The request is processed first, so a `paymentOrderPay` order is
    /// committed before the wait: a client that times out has an order it does not know about.
    Latency(Duration),
    /// Process the request (a `paymentOrderPay` commits its order), then close the connection
    /// without answering: the client sees a connection error, not an HTTP response.
    DropConnection,
    /// Answer with an HTTP error status (500, 502, 503 …) and an unsigned body.
    ServerError {
        /// The HTTP status.
        status: u16,
        /// A JSON body `{"code":"SYSTEM_ERROR",…}` when true, an HTML error page otherwise.
        json: bool,
        /// Whether the request is processed (a `paymentOrderPay` commits its order) before the
        /// error is returned.
        commit: bool,
    },
    /// Answer `TOO_MANY_REQUEST` ("Exceed request limitation, please retry later") without
    /// processing the request.
    TooManyRequests,
    /// Process the request normally but send a `sign` header that does not verify.
    BadSignature,
    /// Deliver every notification of the request's order twice (after the first delivery
    /// ends, the identical signed body again).
    DuplicateNotification,
}

/// A fault and the requests it applies to.
///
/// ```
/// use payermax_sandbox::{Fault, FaultRule};
/// let rule = FaultRule::new(Fault::DropConnection)
///     .api("paymentOrderPay")
///     .out_trade_no("order_1")
///     .times(1);
/// # let _ = rule;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    fault: Fault,
    app_id: Option<String>,
    api: Option<String>,
    out_trade_no: Option<String>,
    remaining: Option<u32>,
}

impl FaultRule {
    /// `fault` for every request, until limited by the other methods.
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            app_id: None,
            api: None,
            out_trade_no: None,
            remaining: None,
        }
    }

    /// Only requests of the merchant with this `appId`.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.app_id = Some(app_id.into());
        self
    }

    /// Only calls to this api name (`paymentOrderPay`, `paymentOrderQry`, …).
    pub fn api(mut self, api: impl Into<String>) -> Self {
        self.api = Some(api.into());
        self
    }

    /// Only requests whose `data.outTradeNo` is this.
    pub fn out_trade_no(mut self, out_trade_no: impl Into<String>) -> Self {
        self.out_trade_no = Some(out_trade_no.into());
        self
    }

    /// Only the first `n` matching requests (default: all of them).
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = Some(n);
        self
    }

    fn matches(&self, request: &FaultTarget<'_>) -> bool {
        self.remaining != Some(0)
            && self.app_id.as_deref().is_none_or(|a| a == request.app_id)
            && self.api.as_deref().is_none_or(|a| a == request.api)
            && self
                .out_trade_no
                .as_deref()
                .is_none_or(|o| Some(o) == request.out_trade_no)
    }
}

/// Seeded random faults: each request gets, with probability `probability`, one of `faults`
/// chosen uniformly. The same seed and the same sequence of requests give the same faults.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomFaults {
    /// The seed.
    pub seed: u64,
    /// Probability of a fault per request, 0.0–1.0.
    pub probability: f64,
    /// The faults to choose from.
    pub faults: Vec<Fault>,
}

/// The faults a sandbox injects: rules first, then the random mode.
///
/// ```
/// use payermax_sandbox::{Fault, FaultPlan, FaultRule, RandomFaults};
/// let plan = FaultPlan::new()
///     .rule(FaultRule::new(Fault::TooManyRequests).times(2))
///     .random(RandomFaults { seed: 7, probability: 0.2, faults: vec![Fault::DropConnection] });
/// # let _ = plan;
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    rules: Vec<FaultRule>,
    random: Option<RandomFaults>,
}

impl FaultPlan {
    /// No faults.
    pub fn new() -> Self {
        FaultPlan::default()
    }

    /// Adds a rule (rules are tried in the order added).
    pub fn rule(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Sets the random mode.
    pub fn random(mut self, random: RandomFaults) -> Self {
        self.random = Some(random);
        self
    }

    /// One line for people: `none`, or the rules and the random mode.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.rules.len() {
            0 => {}
            1 => parts.push("1 rule".to_owned()),
            n => parts.push(format!("{n} rules")),
        }
        if let Some(r) = &self.random {
            parts.push(format!(
                "random: probability {}, seed {}, one of {:?}",
                r.probability, r.seed, r.faults
            ));
        }
        if parts.is_empty() {
            "none".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// What a request is, for matching rules.
pub(crate) struct FaultTarget<'a> {
    pub(crate) app_id: &'a str,
    pub(crate) api: &'a str,
    pub(crate) out_trade_no: Option<&'a str>,
}

/// The faults chosen for one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Chosen {
    pub(crate) latency: Duration,
    pub(crate) action: Option<Fault>,
}

impl Chosen {
    fn add(&mut self, fault: &Fault) -> bool {
        match fault {
            Fault::Latency(d) => {
                self.latency = self.latency.saturating_add(*d);
                true
            }
            _ if self.action.is_none() => {
                self.action = Some(fault.clone());
                true
            }
            _ => false,
        }
    }

    /// Every fault applied, for the request log.
    pub(crate) fn applied(&self) -> Vec<Fault> {
        let mut out = Vec::new();
        if !self.latency.is_zero() {
            out.push(Fault::Latency(self.latency));
        }
        out.extend(self.action.clone());
        out
    }
}

/// A plan in use: rule counters and the random generator's state.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    plan: FaultPlan,
    rng: SplitMix64,
}

impl FaultState {
    pub(crate) fn new(plan: FaultPlan) -> Self {
        let rng = SplitMix64(plan.random.as_ref().map_or(0, |r| r.seed));
        FaultState { plan, rng }
    }

    pub(crate) fn add_rule(&mut self, rule: FaultRule) {
        self.plan.rules.push(rule);
    }

    pub(crate) fn choose(&mut self, request: &FaultTarget<'_>) -> Chosen {
        let mut chosen = Chosen::default();
        for rule in self.plan.rules.iter_mut() {
            if rule.matches(request) && chosen.add(&rule.fault) {
                if let Some(n) = rule.remaining.as_mut() {
                    *n -= 1;
                }
            }
        }
        if let Some(random) = &self.plan.random {
            if !random.faults.is_empty() && self.rng.next_f64() < random.probability {
                let len = random.faults.len() as u64;
                let index = (self.rng.next_u64() % len) as usize;
                if let Some(fault) = random.faults.get(index) {
                    chosen.add(fault);
                }
            }
        }
        chosen
    }
}

/// SplitMix64: a tiny, fixed PRNG, so a seed means the same faults in every version of the
/// sandbox (general-purpose RNG crates do not promise stable streams).
#[derive(Debug, Default)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(api: &'a str, out: Option<&'a str>) -> FaultTarget<'a> {
        FaultTarget {
            app_id: "app",
            api,
            out_trade_no: out,
        }
    }

    #[test]
    fn rules_match_count_down_and_latency_composes() {
        let mut state = FaultState::new(
            FaultPlan::new()
                .rule(FaultRule::new(Fault::Latency(Duration::from_millis(5))))
                .rule(
                    FaultRule::new(Fault::DropConnection)
                        .api("paymentOrderPay")
                        .out_trade_no("o1")
                        .times(1),
                )
                .rule(FaultRule::new(Fault::TooManyRequests).app_id("other")),
        );
        let first = state.choose(&target("paymentOrderPay", Some("o1")));
        assert_eq!(first.latency, Duration::from_millis(5));
        assert_eq!(first.action, Some(Fault::DropConnection));
        let second = state.choose(&target("paymentOrderPay", Some("o1")));
        assert_eq!(second.action, None, "times(1) is used up");
        let query = state.choose(&target("paymentOrderQry", Some("o2")));
        assert_eq!(query.action, None);
    }

    #[test]
    fn random_mode_is_reproducible_and_near_its_probability() {
        let plan = FaultPlan::new().random(RandomFaults {
            seed: 42,
            probability: 0.25,
            faults: vec![Fault::TooManyRequests, Fault::BadSignature],
        });
        let run = || {
            let mut state = FaultState::new(plan.clone());
            (0..2000)
                .map(|_| state.choose(&target("paymentOrderQry", None)).action)
                .collect::<Vec<_>>()
        };
        let a = run();
        assert_eq!(a, run());
        let hits = a.iter().filter(|f| f.is_some()).count();
        assert!((400..600).contains(&hits), "{hits} of 2000");
        assert!(a.contains(&Some(Fault::TooManyRequests)));
        assert!(a.contains(&Some(Fault::BadSignature)));
    }
}
