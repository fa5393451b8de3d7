/// The strings HTTP/1.1 heads repeat, made once per event loop: header names and values, and request
/// targets.
///
/// Every message on a keep-alive connection, and every connection to the same provider, carries the same
/// fields: an SDK's `authorization`, `user-agent` and `x-stainless-*` headers; a provider's
/// `content-type`, `date` and a dozen `x-ratelimit-*` names. Swift stores text of up to 15 bytes inside
/// the `String` itself, but each longer one costs an allocation: ten per proxied chat request in a
/// profile. This cache hands back the `String` made before when the bytes are the same.
///
/// One per event loop, shared by all its connections' parsers (app side and provider side): touched only
/// on its loop, so no locks, and hot in the CPU's cache. With one per connection, at 64 connections most
/// of a look-up's time went to the first load of a cached string last touched a request earlier
/// (`perf annotate`), which ate most of what the saved allocations bought.
///
/// Four ways per set, 32 sets, found by a hash of every byte: names that differ only in the middle
/// (`x-ratelimit-limit-requests` and `x-ratelimit-reset-requests`) must not evict each other. A miss puts
/// the new string first in its set and moves the others down, the last one out. With two ways, the `date`
/// value (a new string every second) shared a set with two fields of every answer for whole seconds at a
/// time, and the three evicted each other on every answer: 0.9 misses per answer in a profile.
final class HTTP1FieldStrings {
    private static let ways = 4
    private static let slots = 128  // 32 sets of four
    /// Longer text is rare in a head and would only churn the slots.
    private static let longest = 256
    /// The slots, in storage of their own: an array in a class property would be checked for exclusive
    /// access and uniqueness on every look-up.
    private let cache: UnsafeMutablePointer<String>
    /// Each slot's hash: a look-up touches a cached string only when its hash matches.
    private let hashes: UnsafeMutablePointer<UInt64>

    init() {
        self.cache = .allocate(capacity: Self.slots)
        self.cache.initialize(repeating: "", count: Self.slots)
        self.hashes = .allocate(capacity: Self.slots)
        self.hashes.initialize(repeating: 0, count: Self.slots)
    }

    deinit {
        self.cache.deinitialize(count: Self.slots)
        self.cache.deallocate()
        self.hashes.deallocate()
    }

    /// `bytes` as a string: the cached one when it holds these bytes.
    func string(_ bytes: UnsafeRawBufferPointer) -> String {
        let count = bytes.count
        // Small strings are stored inline (no allocation to save); long ones are not worth a slot.
        guard count > 15, count <= Self.longest else { return String(decoding: bytes, as: UTF8.self) }
        let (first, hash) = Self.place(bytes)
        // The length is in the hash; the bytes are still compared, since a hash can be made to collide.
        var slot = first
        while slot < first + Self.ways {
            if self.hashes[slot] == hash {
                let matches = self.cache[slot].utf8.withContiguousStorageIfAvailable { cached in
                    cached.count == count && Self.equal(UnsafeRawBufferPointer(cached), bytes)
                }
                if matches == true { return self.cache[slot] }
            }
            slot += 1
        }
        let made = String(decoding: bytes, as: UTF8.self)
        var moved = first + Self.ways - 1
        while moved > first {
            self.cache[moved] = self.cache[moved - 1]
            self.hashes[moved] = self.hashes[moved - 1]
            moved -= 1
        }
        self.cache[first] = made
        self.hashes[first] = hash
        return made
    }

    /// Where `bytes` (more than 15 of them) is kept: the first slot of its set, and its hash.
    static func place(_ bytes: UnsafeRawBufferPointer) -> (first: Int, hash: UInt64) {
        let count = bytes.count
        var hash = UInt64(count) &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xC2B2_AE3D_27D4_EB4F
            offset += 8
        }
        hash = (hash ^ bytes.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
        return (Int(truncatingIfNeeded: hash >> 59) &* Self.ways, hash)
    }

    /// Whether two buffers of the same length (at least 8 bytes) hold the same bytes, a word at a time.
    private static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        var offset = 0
        while offset + 8 <= count {
            if a.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                != b.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            {
                return false
            }
            offset += 8
        }
        // The last (overlapping) word covers what is left.
        return a.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            == b.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }
}
