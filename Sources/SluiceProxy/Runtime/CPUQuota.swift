#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// How many event-loop threads to run: the container's CPU limit (cgroup quota), at least 1, and never
/// more than the machine's cores. A sidecar limited to half a core gets one loop, not one per host core.
enum CPUQuota {
    static func eventLoopThreads() -> Int {
        let cores = System.coreCount
        guard let quota = Self.cgroupQuota() else { return max(1, cores) }
        return max(1, min(cores, Int(quota.rounded(.up))))
    }

    /// cgroup v2 `cpu.max` ("200000 100000" or "max 100000"), then cgroup v1's quota and period files.
    static func cgroupQuota() -> Double? {
        if let text = Self.read("/sys/fs/cgroup/cpu.max") {
            return Self.parseCPUMax(text)
        }
        if let quota = Self.read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us").flatMap({ Double($0.trimmed) }),
            let period = Self.read("/sys/fs/cgroup/cpu/cpu.cfs_period_us").flatMap({ Double($0.trimmed) }),
            quota > 0, period > 0
        {
            return quota / period
        }
        return nil
    }

    static func parseCPUMax(_ text: String) -> Double? {
        let fields = text.trimmed.split(separator: " ")
        guard fields.count == 2, fields[0] != "max", let quota = Double(fields[0]), let period = Double(fields[1]),
            quota > 0, period > 0
        else { return nil }
        return quota / period
    }

    private static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 256)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let bytes = buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    var trimmed: String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view = view.dropFirst() }
        while let last = view.last, last.isWhitespace { view = view.dropLast() }
        return String(view)
    }
}
