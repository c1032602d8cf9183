// First run (J1): welcome, the red-flag screening one question per screen with a counter
// and yes / no / not sure, then either the lock with its referral and the way out
// (clearance), or the profile. The lock and what "not sure" means are the core's decisions.
import Foundation
import Observation

/// A runner's reply to one screening question.
public enum ScreeningReply: Equatable, Sendable {
    case yes, no, notSure
}

@MainActor
@Observable
public final class OnboardingModel {
    public enum Stage: Equatable {
        case welcome
        case screening
        case locked
        case profile
        case done
    }

    public private(set) var stage: Stage = .welcome
    public private(set) var questions: [QuestionInfo] = []
    public private(set) var index = 0
    public private(set) var replies: [String: ScreeningReply] = [:]
    public private(set) var safety: SafetyInfo?
    public private(set) var errorMessage: String?
    public private(set) var busy = false

    private let core: CoreService

    public init(core: CoreService) {
        self.core = core
    }

    public var current: QuestionInfo? {
        questions.indices.contains(index) ? questions[index] : nil
    }

    /// "3 of 20"-style position, as numbers for the view to format.
    public var position: (number: Int, total: Int) {
        (min(index + 1, questions.count), questions.count)
    }

    public func begin() async {
        questions = await core.screeningQuestions()
        index = 0
        replies = [:]
        stage = questions.isEmpty ? .profile : .screening
    }

    /// Records the reply and moves on; after the last question the answers go to the core.
    public func answer(_ reply: ScreeningReply) async {
        guard let question = current else { return }
        replies[question.id] = reply
        if index + 1 < questions.count {
            index += 1
        } else {
            await submit()
        }
    }

    public func back() {
        if index > 0 { index -= 1 }
    }

    private func submit() async {
        busy = true
        defer { busy = false }
        do {
            let answers = questions.map { Self.coreAnswer($0.id, replies[$0.id] ?? .notSure) }
            let result = try await core.submitScreening(answers)
            safety = result
            stage = result.locked ? .locked : .profile
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    /// Not sure is never no: it goes to the core as a flag, and the core's policy for it
    /// (explained in the referral) decides what follows.
    /// The one place a reply becomes the core's answer record.
    public nonisolated static func coreAnswer(_ questionId: String, _ reply: ScreeningReply) -> Answer {
        Answer(questionId: questionId, yes: reply != .no)
    }

    /// The runner confirms a clinician has seen them: the core lifts the lock.
    public func confirmClearance() async {
        do {
            let cleared = try await core.confirmClearance(true)
            if cleared {
                stage = .profile
            }
            errorMessage = nil
        } catch {
            errorMessage = describe(error)
        }
    }

    public func profileSaved() {
        stage = .done
    }
}
