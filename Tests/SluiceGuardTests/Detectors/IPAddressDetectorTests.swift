import SluiceGuard
import Testing

@Suite("IP address detector")
struct IPAddressDetectorTests {
    @Test(
        "finds IPv4 and IPv6 addresses",
        arguments: [
            ("host 192.168.1.20 is up", "192.168.1.20"),
            ("0.0.0.0", "0.0.0.0"),
            ("255.255.255.255.", "255.255.255.255"),
            ("subnet 10.0.0.0/8", "10.0.0.0/8"),
            ("(8.8.4.4)", "8.8.4.4"),
            ("http://203.0.113.7:8080/x", "203.0.113.7"),
            ("2001:db8:85a3:0:0:8a2e:370:7334", "2001:db8:85a3:0:0:8a2e:370:7334"),
            ("fe80::1ff:fe23:4567:890a", "fe80::1ff:fe23:4567:890a"),
            ("loopback ::1 only", "::1"),
            ("[2001:db8::1]:443", "2001:db8::1"),
            ("::ffff:192.0.2.128", "::ffff:192.0.2.128"),
            ("4dcc:a0e6:47e7:f3cb:e553:ef87:f71:e85e", "4dcc:a0e6:47e7:f3cb:e553:ef87:f71:e85e"),
            ("2001:db8::", "2001:db8::"),
        ])
    func positives(text: String, value: String) {
        #expect(values(.ipAddress, in: text) == [value])
    }

    @Test(
        "version strings, times and code are not addresses",
        arguments: [
            "release 1.2.3.4.5", "10.0.0", "v1.2.3.4", "version 1.2.3.4", "Version: 10.0.0.1", "build 4.1.2.0",
            "Chrome/120.0.6099.109", "Windows NT 10.0.19041.1", "256.1.1.1", "01.2.3.4", "1.2.3.04",
            "1.2.3.4a", "a1.2.3.4", "12:30:45", "10:30", "std::vector<int>", "Face::add", "a::b",
            "00:1A:2B:3C:4D:5E", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "::", "x::1",
            "1.2.3.4@example.com", "2024.01.15", "3.14159",
        ])
    func negatives(text: String) {
        #expect(values(.ipAddress, in: text) == [])
    }
}
