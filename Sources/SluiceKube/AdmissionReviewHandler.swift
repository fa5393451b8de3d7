#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The webhook's logic: an `admission.k8s.io/v1` AdmissionReview in, the AdmissionReview answer
/// out, with the JSON Patch that ``ManifestInjector`` would apply to the same pod.
///
/// It never refuses a pod and never fails: a body it cannot read, a review of another version or
/// kind, a request for something that is not a Pod, all get `allowed: true` with a `warnings`
/// entry that `kubectl` shows, because a webhook that blocks pods stops the cluster's workloads.
public struct AdmissionReviewHandler: Sendable {
    public var injector: ManifestInjector

    public init(settings: InjectionSettings = InjectionSettings()) {
        self.injector = ManifestInjector(settings: settings)
    }

    /// The answer to `body`, as JSON bytes.
    public func respond(to body: some Collection<UInt8>) -> [UInt8] {
        let answer = self.answer(to: body)
        // Encoding a value built of strings, bools and arrays cannot fail; the fallback is
        // still a valid answer.
        return (try? answer.jsonBytes())
            ?? Array(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"","allowed":true}}"#.utf8)
    }

    /// The answer to `body`, as a value.
    public func answer(to body: some Collection<UInt8>) -> KubeValue {
        let review: KubeValue
        do {
            review = try KubeValue.parseJSON(body)
        } catch {
            return Self.review(uid: "", allowed: "the request body is not JSON")
        }
        let uid = review[path: ["request", "uid"]]?.string ?? ""
        guard review["apiVersion"]?.string == "admission.k8s.io/v1", review["kind"]?.string == "AdmissionReview" else {
            let found = "\(review["apiVersion"]?.scalarText ?? "no apiVersion") \(review["kind"]?.scalarText ?? "no kind")"
            return Self.review(uid: uid, allowed: "expected an admission.k8s.io/v1 AdmissionReview, got \(found)")
        }
        guard let request = review["request"], request.isObject, !uid.isEmpty else {
            return Self.review(uid: uid, allowed: "the AdmissionReview has no request or no request.uid")
        }
        guard request[path: ["kind", "kind"]]?.string == "Pod", request["subResource"] == nil else {
            return Self.review(uid: uid, allowed: "only pods are injected; this webhook should not be sent \(Self.describe(request))")
        }
        guard let pod = request["object"], pod.isObject else {
            return Self.review(uid: uid, allowed: "the request has no pod object")
        }
        let operations: [PatchOperation]
        switch self.injector.mutation.decide(template: pod) {
        case .skip(let reason):
            switch reason {
            case .noPodSpec, .hostNetwork: return Self.review(uid: uid, allowed: "sluice sidecar not injected: \(reason.rawValue)")
            case .optedOut, .notRequested, .alreadyInjected: return Self.review(uid: uid, allowed: nil)
            }
        case .inject(let found):
            operations = found
        }
        guard let patch = try? KubeValue.array(operations.map(\.json)).jsonBytes() else {
            return Self.review(uid: uid, allowed: "sluice could not encode its patch")
        }
        return .object([
            "apiVersion": .string("admission.k8s.io/v1"),
            "kind": .string("AdmissionReview"),
            "response": .object([
                "uid": .string(uid),
                "allowed": .bool(true),
                "patchType": .string("JSONPatch"),
                "patch": .string(Data(patch).base64EncodedString()),
            ]),
        ])
    }

    /// An answer that lets the object through unchanged, with `warning` when there is one.
    static func review(uid: String, allowed warning: String?) -> KubeValue {
        var response: [KubeValue.Member] = [.init("uid", .string(uid)), .init("allowed", .bool(true))]
        if let warning { response.append(.init("warnings", .array([.string("sluice: " + warning)]))) }
        return .object([
            "apiVersion": .string("admission.k8s.io/v1"),
            "kind": .string("AdmissionReview"),
            "response": .object(response),
        ])
    }

    private static func describe(_ request: KubeValue) -> String {
        let kind = request[path: ["kind", "kind"]]?.string ?? "an object of no kind"
        if let subResource = request["subResource"]?.string { return "\(kind)/\(subResource)" }
        return kind
    }
}
