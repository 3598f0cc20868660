import Foundation
import Testing

@testable import ModelRunner

/// The time printed before each progress line is what a `DateFormatter` with `HH:mm:ss` gives.
@Suite struct ConsoleClockTests {
    @Test(arguments: [0.0, 59.999, 3_600.5, 43_200, 86_399, 1_764_806_400, 1_780_000_123.25])
    func clockTimeMatchesDateFormatter(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "HH:mm:ss"
        #expect(ConsoleReporter.clockTime(date) == formatter.string(from: date))
    }
}
