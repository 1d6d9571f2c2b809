/// UTF-8 text written piece by piece into one buffer: how messages, dotted paths and rendered
/// findings are built. (A string interpolation or `String.append` costs a few hundred
/// instructions per segment, each taking the general path of appending one string to another;
/// here a segment is a copy of its bytes.) Not copyable: it owns its buffer, freed when it goes.
public struct TextBytes: ~Copyable {
    private var start: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// The number of bytes written.
    public private(set) var count = 0

    /// An empty buffer with room for `capacity` bytes (it grows as needed).
    public init(capacity: Int = 64) {
        self.capacity = max(capacity, 16)
        start = .allocate(capacity: self.capacity)
    }

    deinit { start.deallocate() }

    /// `true` when nothing has been written.
    public var isEmpty: Bool { count == 0 }

    /// Makes room for `more` bytes.
    private mutating func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        let grown = max(capacity * 2, count + more)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
        moved.moveInitialize(from: start, count: count)
        start.deallocate()
        start = moved
        capacity = grown
    }

    /// Appends the UTF-8 bytes of `text`.
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            reserve(bytes.count)
            guard let base = bytes.baseAddress else { return }
            (start + count).initialize(from: base, count: bytes.count)
            count += bytes.count
        }
    }

    /// Appends one ASCII character.
    public mutating func append(ascii: Unicode.Scalar) {
        reserve(1)
        (start + count).initialize(to: UInt8(ascii: ascii))
        count += 1
    }

    /// Appends `number` in decimal, as `String(number)` writes it.
    public mutating func append(_ number: Int) {
        if number < 0 { append(ascii: "-") }
        let magnitude = number.magnitude
        var scale: UInt = 1
        var digits = 1
        while magnitude / scale >= 10 {
            scale *= 10
            digits += 1
        }
        reserve(digits)
        while scale > 0 {
            (start + count).initialize(to: UInt8(ascii: "0") + UInt8(magnitude / scale % 10))
            count += 1
            scale /= 10
        }
    }

    /// The text written.
    public var text: String { String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self) }

    /// Calls `body` with the bytes written.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: start, count: count))
    }
}
