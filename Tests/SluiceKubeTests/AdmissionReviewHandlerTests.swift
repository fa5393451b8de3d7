#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing
import Yams

@testable import SluiceKube

@Suite("The admission webhook's answers")
struct AdmissionReviewHandlerTests {
    let handler = AdmissionReviewHandler(settings: InjectionSettings(image: Corpus.image))

    /// The patch in an answer, decoded.
    static func patch(of answer: KubeValue) throws -> KubeValue {
        let encoded = try #require(answer[path: ["response", "patch"]]?.string)
        let bytes = try #require(Data(base64Encoded: encoded))
        return try KubeValue.parseJSON(Array(bytes))
    }

    @Test("the patched pod equals what sluice inject makes of the same pod", arguments: Corpus.reviewNames)
    func patchEqualsInject(name: String) throws {
        let body = try Corpus.bytes("admission/\(name).json")
        let review = try KubeValue.parseJSON(body)
        let pod = try #require(review[path: ["request", "object"]])
        let answer = self.handler.answer(to: body)
        #expect(answer["apiVersion"] == .string("admission.k8s.io/v1"))
        #expect(answer["kind"] == .string("AdmissionReview"))
        #expect(answer[path: ["response", "uid"]] == review[path: ["request", "uid"]])
        #expect(answer[path: ["response", "allowed"]] == .bool(true))

        // JSON is YAML: inject reads the pod exactly as the API server sent it.
        let injectedText = try ManifestInjector(settings: InjectionSettings(image: Corpus.image)).inject(String(decoding: try pod.jsonBytes(), as: UTF8.self))
        let injected = try #require(Yams.compose(yaml: injectedText).map(KubeValue.init))
        if answer[path: ["response", "patch"]] == nil {
            #expect(injected.canonical == pod.canonical, "no patch, but inject changed the pod")
        } else {
            #expect(answer[path: ["response", "patchType"]] == .string("JSONPatch"))
            let patched = try JSONPatch.apply(try Self.patch(of: answer), to: pod)
            #expect(patched.canonical == injected.canonical)
            #expect(patched != pod)
        }
    }

    @Test("an opted-out pod is allowed without a patch or a warning")
    func optedOut() throws {
        let answer = self.handler.answer(to: try Corpus.bytes("admission/opted-out-pod.json"))
        #expect(answer[path: ["response", "allowed"]] == .bool(true))
        #expect(answer[path: ["response", "patch"]] == nil)
        #expect(answer[path: ["response", "warnings"]] == nil)
    }

    @Test("a second review of the injected pod adds nothing")
    func idempotent() throws {
        let body = try Corpus.bytes("admission/deployment-pod.json")
        let review = try KubeValue.parseJSON(body)
        let pod = try #require(review[path: ["request", "object"]])
        let patched = try JSONPatch.apply(try Self.patch(of: self.handler.answer(to: body)), to: pod)
        let again = try JSONPatch.apply(.array([.object(["op": "replace", "path": "/request/object", "value": patched])]), to: review)
        let answer = self.handler.answer(to: try again.jsonBytes())
        #expect(answer[path: ["response", "patch"]] == nil)
        #expect(answer[path: ["response", "allowed"]] == .bool(true))
    }


    @Test("malformed and unexpected reviews are allowed, with a warning, never a crash", arguments: malformedReviews)
    func malformed(_ named: (String, String)) throws {
        let bytes = self.handler.respond(to: Array(named.1.utf8))
        let answer = try KubeValue.parseJSON(bytes)
        #expect(answer["apiVersion"] == .string("admission.k8s.io/v1"), "\(named.0)")
        #expect(answer["kind"] == .string("AdmissionReview"))
        #expect(answer[path: ["response", "allowed"]] == .bool(true))
        #expect(answer[path: ["response", "patch"]] == nil)
        let warnings = try #require(answer[path: ["response", "warnings"]]?.array, "\(named.0): no warning")
        #expect(warnings.count == 1 && warnings[0].string?.hasPrefix("sluice: ") == true)
        #expect(answer[path: ["response", "uid"]]?.string != nil)
    }

    @Test("the uid is echoed when the review has one, even when the review is refused")
    func uidEchoed() throws {
        let answer = self.handler.answer(to: Array(#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"abc","kind":{"kind":"Service"}}}"#.utf8))
        #expect(answer[path: ["response", "uid"]] == .string("abc"))
    }

    @Test("the router answers /mutate, /healthz and /readyz, and 503 on /readyz while draining")
    func router() throws {
        let router = WebhookRouter(handler: self.handler)
        #expect(router.route(method: "GET", uri: "/healthz", body: [], draining: false).status == 200)
        #expect(router.route(method: "GET", uri: "/readyz", body: [], draining: false).status == 200)
        #expect(router.route(method: "GET", uri: "/readyz", body: [], draining: true).status == 503)
        #expect(router.route(method: "GET", uri: "/mutate", body: [], draining: false).status == 405)
        #expect(router.route(method: "GET", uri: "/nope", body: [], draining: false).status == 404)
        let mutate = router.route(method: "POST", uri: "/mutate?timeout=10s", body: try Corpus.bytes("admission/deployment-pod.json"), draining: false)
        #expect(mutate.status == 200 && mutate.contentType == "application/json")
        #expect(try KubeValue.parseJSON(mutate.body)[path: ["response", "patchType"]] == .string("JSONPatch"))
    }
}

/// Bodies the API server should never send, and one it might (a review for a Deployment).
let malformedReviews: [(String, String)] = [
    ("empty body", ""),
    ("not JSON", "<xml/>"),
    ("truncated JSON", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1""#),
    ("a JSON array", "[1,2,3]"),
    ("a JSON string", #""AdmissionReview""#),
    ("the v1beta1 API", #"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u2"}}"#),
    ("another kind", #"{"apiVersion":"admission.k8s.io/v1","kind":"Pod"}"#),
    ("no request", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#),
    ("request not an object", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":[]}"#),
    ("no uid", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"kind":{"kind":"Pod"},"object":{}}}"#),
    ("a Deployment", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u3","kind":{"group":"apps","version":"v1","kind":"Deployment"},"object":{"kind":"Deployment"}}}"#),
    ("a pod subresource", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u4","kind":{"kind":"Pod"},"subResource":"ephemeralcontainers","object":{"spec":{"containers":[]}}}}"#),
    ("no object", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u5","kind":{"kind":"Pod"}}}"#),
    ("object is a string", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u6","kind":{"kind":"Pod"},"object":"pod"}}"#),
    ("pod without containers", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u7","kind":{"kind":"Pod"},"object":{"spec":{"containers":"x"}}}}"#),
    ("uid of the wrong type", #"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":42,"kind":{"kind":"Pod"},"object":{}}}"#),
]
