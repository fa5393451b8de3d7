import SluiceLimits
import SluicePostgres
import Testing

@Suite("PostgresLimitStore errors")
struct PostgresLimitStoreErrorTests {
    @Test("a closed port fails fast, naming host and port and not the password")
    func unreachableServer() async throws {
        // Port 1 (tcpmux) has no listener on a test machine: the connection is refused.
        let url = "postgres://sluice:s3cret-pw@127.0.0.1:1/sluice?sslmode=disable&connect_timeout=1"
        let clock = ContinuousClock()
        let start = clock.now
        let error = try await #require(throws: LimitStoreError.self) {
            var configuration = try PostgresStoreConfiguration(url: url)
            configuration.operationTimeout = .seconds(1)
            return try await TestDatabase.withStore(configuration) { store in
                try await store.draw(BucketID("checkout/requests"), spec: .perMinute(60), units: 1)
            }
        }
        // It must end, not hang on the pool's 60 s of reconnecting; how fast is for benchmarks.
        #expect(clock.now - start < .seconds(30))
        #expect(error.code == .unreachable)
        #expect(error.description.contains("127.0.0.1:1"))
        #expect(error.description.contains("connection refused"))
        #expect(error.description.contains("draw from bucket checkout/requests"))
        #expect(!error.description.contains("s3cret-pw"))
        #expect(!String(describing: error).contains("s3cret-pw"))
    }

    @Test("a database that does not exist is named as such")
    func missingDatabase() async throws {
        var configuration = try TestDatabase.configuration()
        let missing = TestDatabase.unique("nodb").replacing("-", with: "_")
        configuration.database = missing
        configuration.password = "hunter2-secret"  // the test server trusts loopback; it is ignored
        configuration.operationTimeout = .seconds(1)
        let error = try await #require(throws: LimitStoreError.self) {
            try await TestDatabase.withStore(configuration) { store in
                try await store.spend(of: "checkout", on: CalendarDay(year: 2026, month: 11, day: 25))
            }
        }
        #expect(error.code == .databaseMissing)
        #expect(error.description.contains(missing))
        #expect(error.description.contains(configuration.endpoint))
        #expect(!error.description.contains("hunter2-secret"))
    }

    @Test("a store whose run() was never started says so")
    func notRunning() async throws {
        var configuration = try TestDatabase.configuration()
        configuration.operationTimeout = .milliseconds(300)
        let store = PostgresLimitStore(configuration: configuration)
        let error = try await #require(throws: LimitStoreError.self) {
            try await store.draw(BucketID("x"), spec: .perMinute(1), units: 1)
        }
        #expect(error.code == .notRunning)
        #expect(error.description.contains("run()"))
    }
}

@Suite("PostgresStoreConfiguration")
struct PostgresStoreConfigurationTests {
    @Test("a full URL is read")
    func readsURL() throws {
        let configuration = try PostgresStoreConfiguration(
            url: "postgres://sluice:p%40ss@db.internal:6432/limits?sslmode=require&connect_timeout=7"
        )
        #expect(configuration.host == "db.internal")
        #expect(configuration.port == 6432)
        #expect(configuration.username == "sluice")
        #expect(configuration.password == "p@ss")
        #expect(configuration.database == "limits")
        #expect(configuration.tls == .require)
        #expect(configuration.connectTimeout == .seconds(7))
        #expect(configuration.description == "postgres://sluice:***@db.internal:6432/limits?sslmode=require")
    }

    @Test("defaults: port 5432, TLS preferred, database named by the server")
    func defaults() throws {
        let configuration = try PostgresStoreConfiguration(url: "postgresql://sluice@[::1]")
        #expect(configuration.host == "::1")
        #expect(configuration.endpoint == "[::1]:5432")
        #expect(configuration.password == nil)
        #expect(configuration.database == nil)
        #expect(configuration.tls == .prefer)
    }

    @Test(
        "a bad URL is refused with the reason, and without the password",
        arguments: [
            ("mysql://u:topsecret@h/db", "scheme"),
            ("postgres://u:topsecret@/db", "no host"),
            ("postgres://:topsecret@h/db", "no user"),
            ("postgres://u:topsecret@h/db?sslmode=sometimes", "sslmode"),
            ("postgres://u:topsecret@h/db?pool=3", "unknown option 'pool'"),
            ("postgres://u:topsecret@h/db?connect_timeout=0", "connect_timeout"),
        ]
    )
    func refusesBadURL(url: String, reason: String) {
        #expect {
            try PostgresStoreConfiguration(url: url)
        } throws: { error in
            guard let error = error as? LimitStoreError else { return false }
            return error.code == .invalidConfiguration && error.description.contains(reason)
                && !error.description.contains("topsecret")
        }
    }
}
