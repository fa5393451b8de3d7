#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import SluiceProxy

@Suite("Start-up pages given back")
struct StartupPagesTests {
    @Test("only readable, non-writable mappings of files are chosen")
    func choosesReadOnlyFileMappings() {
        let maps = """
            5589cdba3000-5589cfc1f000 r-xp 00000000 fe:00 16220411                   /usr/bin/sluice
            5589cfc20000-5589cfd0c000 r--p 0207c000 fe:00 16220411                   /usr/bin/sluice
            5589cfd0c000-5589d21d9000 rw-p 02168000 fe:00 16220411                   /usr/bin/sluice
            5589d21d9000-5589d22de000 rw-p 00000000 00:00 0
            7f7960000000-7f796004a000 rw-p 00000000 00:00 0                          [heap]
            7f796561e000-7f7965644000 r--p 00000000 fe:00 333151                     /usr/lib/x86_64-linux-gnu/libc.so.6
            7f7965a00000-7f7965a01000 ---p 00000000 fe:00 333151                     /usr/lib/x86_64-linux-gnu/libc.so.6
            7ffd1d5f2000-7ffd1d5f6000 r--p 00000000 00:00 0                          [vvar]
            7ffd1d5f6000-7ffd1d5f8000 r-xp 00000000 00:00 0                          [vdso]
            zz-yy r--p 00000000 fe:00 1 /broken
            """
        let ranges = StartupPages.readOnlyFileMappings(in: Array(maps.utf8))
        #expect(
            ranges == [
                0x5589_cdba_3000..<0x5589_cfc1_f000,
                0x5589_cfc2_0000..<0x5589_cfd0_c000,
                0x7f79_6561_e000..<0x7f79_6564_4000,
            ])
    }

    /// This process's resident pages of files, from `/proc/self/status` (`RssFile`), in KiB.
    static func residentFileKiB() -> Int? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("RssFile:") {
                return Int(String(text.dropFirst("RssFile:".count).filter(\.isNumber)))
            }
        }
        return nil
    }

    @Test("the pages go: this process's resident file pages shrink")
    func releases() throws {
        let before = try #require(Self.residentFileKiB())
        let advised = StartupPages.release()
        let after = try #require(Self.residentFileKiB())
        #expect(advised > 0, "MADV_PAGEOUT needs Linux 5.4 or later")
        #expect(after < before, "RssFile \(before) KiB before, \(after) KiB after")
    }
}
