/// IBAN lengths by country, from the SWIFT IBAN registry.
enum IBANCountries {
    /// `CCnn` pairs: country code and IBAN length.
    private static let registry = """
        AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 \
        EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 \
        IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 \
        NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 \
        SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30
        """

    /// Lengths indexed by `(first - 'A') * 26 + (second - 'A')`; 0 for no such country.
    private static let lengths: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 26 * 26)
        for entry in registry.split(separator: " ") {
            let bytes = Array(entry.utf8)
            let index = Int(bytes[0] - 0x41) * 26 + Int(bytes[1] - 0x41)
            table[index] = (bytes[2] - 0x30) * 10 + (bytes[3] - 0x30)
        }
        return table
    }()

    /// The IBAN length of the country with code `first second` (capital letters), if it has IBANs.
    static func length(_ first: UInt8, _ second: UInt8) -> Int? {
        let length = lengths[Int(first &- 0x41) * 26 + Int(second &- 0x41)]
        return length == 0 ? nil : Int(length)
    }

    /// Every country code in the registry.
    static var countryCodes: [String] {
        registry.split(separator: " ").map { String($0.prefix(2)) }
    }
}
