//! This process's CPU time, for the benches that relate throughput to the CPU they got.

/// CPU seconds (user + system) this process has used so far: `/proc/self/stat`, in the kernel's
/// USER_HZ ticks (100 a second on Linux). `None` where there is no such file.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // After `pid (command) ` come state, ppid… utime and stime are the 12th and 13th.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let mut fields = rest.split(' ').skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some((utime + stime) as f64 / 100.0)
}
