#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import NIOCore
import NIOSSL
public import SluicePolicy
import SluiceLLM
import SluiceRouting

/// A loaded policy compiled into what the request path reads: routes resolved to providers, provider
/// credentials as ready-made header values, TLS contexts built, and the `/v1/models` answer pre-rendered.
///
/// A snapshot is immutable and swapped whole, so a request reads one consistent policy from start to end.
public final class PolicySnapshot: Sendable {
    /// The policy as loaded (secrets still references; their values live in ``providers``).
    public let loaded: LoadedPolicy
    /// Route per requested model name.
    let routes: [String: ResolvedRoute]
    /// Runtime view of each provider, by name.
    let providers: [String: ProviderRuntime]
    /// The `GET /v1/models` body.
    let modelListBody: [UInt8]
    /// Model names in a stable order, for error messages.
    let modelNames: [String]
    /// When the snapshot was made, for `/config`.
    public let loadedAt: Date
    /// Who is calling: virtual keys to workloads, allow-lists, credential modes.
    let identity: WorkloadResolver
    /// Plans the targets of each request: strategy, glob model names, health of each target.
    let planner: RoutePlanner
    /// When to try again and move on, per model route.
    let retryPolicies: [String: RetryPolicy]
    /// Redaction and prompt guards per workload that has them.
    let protections: [String: WorkloadProtection]
    /// The key per workload and provider, where a workload overrides the provider's key.
    let workloadKeys: [String: [String: String]]
    /// The same as `Bearer <key>`, ready for OpenAI-style providers.
    let workloadAuthorizations: [String: [String: String]]
    /// The model routes whose broken streams are resumed (`resume: true`): read once per stream, and
    /// nearly always empty, where looking the route up in the policy copies its whole entry.
    let resumableRoutes: Set<String>

    /// Compiles `loaded` for a sidecar serving `workload`, failing with a message naming the cause when a
    /// provider cannot be served or the workload is not defined.
    public init(_ loaded: LoadedPolicy, workload: String? = nil, loadedAt: Date = Date()) throws(PolicyCompileError) {
        self.loaded = loaded
        self.loadedAt = loadedAt
        do {
            self.identity = try WorkloadResolver(policy: loaded.policy, workload: workload)
        } catch {
            throw PolicyCompileError(error.description)
        }
        self.workloadKeys = loaded.workloadSecrets.mapValues { keys in keys.mapValues(\.value) }
        self.workloadAuthorizations = self.workloadKeys.mapValues { keys in keys.mapValues { "Bearer \($0)" } }
        var providers: [String: ProviderRuntime] = [:]
        for (name, config) in loaded.policy.providers {
            providers[name] = try ProviderRuntime(config: config, secret: loaded.secrets[name])
        }
        var routes: [String: ResolvedRoute] = [:]
        for (name, route) in loaded.policy.models {
            guard let first = route.targets.first, let provider = providers[first.provider] else {
                throw PolicyCompileError("model '\(name)' has no target with a known provider")
            }
            routes[name] = ResolvedRoute(requestedName: name, provider: provider, upstreamModel: first.model)
        }
        self.providers = providers
        self.routes = routes
        self.planner = RoutePlanner(policy: loaded.policy)
        var protections: [String: WorkloadProtection] = [:]
        for (name, workload) in loaded.policy.workloads {
            if let protection = try WorkloadProtection(workload) { protections[name] = protection }
        }
        self.protections = protections
        self.retryPolicies = loaded.policy.models.mapValues { RetryPolicy($0.retry) }
        self.resumableRoutes = Set(loaded.policy.models.filter(\.value.resume).keys)
        self.modelNames = routes.keys.sorted()
        self.modelListBody = Self.renderModelList(self.modelNames, created: Int(loadedAt.timeIntervalSince1970))
    }

    /// `Authorization` for `provider` when `workload` calls with injected credentials.
    func authorization(for provider: ProviderRuntime, workload: String?) -> String? {
        if let workload, let override = self.workloadAuthorizations[workload]?[provider.name] { return override }
        return provider.authorization
    }

    func retryPolicy(for route: String) -> RetryPolicy {
        self.retryPolicies[route] ?? RetryPolicy(nil)
    }

    /// The raw key for `provider` when `workload` calls with injected credentials (Anthropic's `x-api-key`).
    func apiKey(for provider: ProviderRuntime, workload: String?) -> String? {
        if let workload, let override = self.workloadKeys[workload]?[provider.name] { return override }
        return provider.apiKey
    }

    /// The `GET /v1/models` answer for a caller: every model, or only those its allow-list names.
    func modelList(for caller: CallerIdentity) -> [UInt8] {
        let allowed = self.identity.allowedModels(for: caller)
        if allowed.allows("*") { return self.modelListBody }
        return Self.renderModelList(allowed.filter(self.modelNames), created: Int(self.loadedAt.timeIntervalSince1970))
    }

    private static func renderModelList(_ names: [String], created: Int) -> [UInt8] {
        let entries = names.map {
            "{\"id\":\(JSONText.quoted($0)),\"object\":\"model\",\"created\":\(created),\"owned_by\":\"sluice\"}"
        }
        return Array("{\"object\":\"list\",\"data\":[\(entries.joined(separator: ","))]}".utf8)
    }
}

/// A policy that loaded but cannot be served (for example a TLS file that does not parse).
public struct PolicyCompileError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}

/// Where a requested model goes.
struct ResolvedRoute: Sendable {
    var requestedName: String
    var provider: ProviderRuntime
    /// The model name the provider receives; nil passes the requested name on unchanged.
    var upstreamModel: String?
}

/// What the request path needs of one provider.
struct ProviderRuntime: Sendable {
    var name: String
    var type: ProviderType
    var upstream: UpstreamEndpoint?
    /// `Bearer <key>`, ready to send; nil when the provider takes no key.
    var authorization: String?
    /// The key itself, for providers that take it in a header of their own.
    var apiKey: String?

    init(config: ProviderConfig, secret: SecretValue?) throws(PolicyCompileError) {
        self.name = config.name
        self.type = config.type
        self.authorization = secret.map { "Bearer \($0.value)" }
        self.apiKey = secret?.value
        switch config.type {
        case .mock:
            self.upstream = nil
        case .openai, .anthropic:
            guard let url = config.baseURL else {
                throw PolicyCompileError("provider '\(config.name)' has no base_url")
            }
            self.upstream = try UpstreamEndpoint(providerName: config.name, url: url, config: config)
        case .azure, .gemini, .bedrock:
            throw PolicyCompileError(
                "provider '\(config.name)': type '\(config.type.rawValue)' is not supported by this version of Sluice yet; use openai (any OpenAI-compatible server), anthropic or mock"
            )
        }
    }
}

/// One upstream origin with its connection settings. Connections are pooled per ``key``.
struct UpstreamEndpoint: Sendable {
    var key: UpstreamKey
    var providerName: String
    let basePath: String
    /// The `host` header value.
    var authority: String
    var tlsContext: NIOSSLContext?
    var connectTimeout: TimeAmount
    var firstByteTimeout: TimeAmount
    var idleTimeout: TimeAmount
    var firstTokenTimeout: TimeAmount
    var totalTimeout: TimeAmount
    var maxConnections: Int
    /// The request target of each endpoint, in `APIEndpoint.allCases` order: made once rather than joined
    /// for every request.
    private let targets: [String]

    init(providerName: String, url: UpstreamURL, config: ProviderConfig) throws(PolicyCompileError) {
        self.providerName = providerName
        self.key = UpstreamKey(host: url.host, port: url.port, tls: url.isTLS, caFile: config.tls.caFile)
        self.basePath = url.basePath
        self.targets = APIEndpoint.allCases.map { url.basePath + $0.upstreamSuffix }
        let defaultPort = url.isTLS ? 443 : 80
        let hostPart = url.host.contains(":") ? "[\(url.host)]" : url.host
        self.authority = url.port == defaultPort ? hostPart : "\(hostPart):\(url.port)"
        self.connectTimeout = TimeAmount(config.timeouts.connect)
        self.firstByteTimeout = TimeAmount(config.timeouts.firstByte)
        self.idleTimeout = TimeAmount(config.timeouts.idle)
        self.firstTokenTimeout = TimeAmount(config.timeouts.firstToken)
        self.totalTimeout = TimeAmount(config.timeouts.total)
        self.maxConnections = config.maxConnections
        if url.isTLS {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.applicationProtocols = ["h2", "http/1.1"]
            if let caFile = config.tls.caFile {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                } catch {
                    throw PolicyCompileError("provider '\(providerName)': tls.ca_file \(caFile) is not a PEM certificate file: \(error)")
                }
            }
            do {
                self.tlsContext = try NIOSSLContext(configuration: tls)
            } catch {
                throw PolicyCompileError("provider '\(providerName)': cannot set up TLS: \(error)")
            }
        } else {
            self.tlsContext = nil
        }
    }
}

/// The identity of a connection pool: same origin and same trust settings share connections.
struct UpstreamKey: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var tls: Bool
    var caFile: String?

    var description: String { "\(self.tls ? "https" : "http")://\(self.host):\(self.port)" }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

extension UpstreamEndpoint {
    /// `basePath` and the endpoint's path: the request target of a call to `endpoint`.
    func target(for endpoint: APIEndpoint) -> String {
        self.targets[endpoint.ordinal]
    }
}
