//! Where the use cases read the time from. The platform runs on the system clock; a test
//! moves a [`Clock::shifted`] clock forward instead of sleeping, so a call's close or a form's
//! minimum fill time passes at once and the test says how much time it let pass.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The time as the platform reads it; cheap to clone, every clone reads the same time.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Milliseconds added to the system time; zero and never moved on a system clock.
    shift: Arc<AtomicI64>,
}

/// The handle that moves a shifted clock forward.
#[derive(Clone, Debug)]
pub struct ClockShift(Arc<AtomicI64>);

impl Clock {
    /// The system's clock.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// A clock that runs with the system's, and that its handle moves forward.
    pub fn shifted() -> (Clock, ClockShift) {
        let clock = Clock::default();
        let shift = ClockShift(clock.shift.clone());
        (clock, shift)
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.shift.load(Ordering::Relaxed))
    }

    /// Today's date, as the records date things (UTC).
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

impl ClockShift {
    /// Moves the clock forward by `by`, for every clone of it.
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_moves_forward_for_every_clone() {
        let (clock, shift) = Clock::shifted();
        let other = clock.clone();
        let before = clock.now();
        shift.advance(Duration::hours(3));
        assert!(other.now() - before >= Duration::hours(3));
        assert!(other.now() - before < Duration::hours(3) + Duration::seconds(5));
    }

    #[test]
    fn the_system_clock_reads_the_system_time() {
        let drift = Clock::system().now() - Utc::now();
        assert!(drift.num_seconds().abs() < 5);
    }
}
