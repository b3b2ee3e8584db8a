#include "JsonNumberText.h"

namespace batchdeck::json {

namespace {

constexpr int kMaxSignificantDigits = 15;
constexpr int kMinExponent = -300;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

} // namespace

bool appendQtNumberText(QByteArrayView token, QByteArray* out)
{
    const char* p = token.data();
    const char* const end = p + token.size();
    const bool negative = p < end && *p == '-';
    if (negative)
        ++p;

    // The significant digits (no leading or trailing zeros) and `power`: the value is <digits> x 10^power.
    char digits[kMaxSignificantDigits];
    int count = 0;
    int pendingZeros = 0; // zeros after the last nonzero digit: significant only if one follows
    int power = 0;        // before the exponent part
    bool seenDigit = false;
    bool inFraction = false;
    for (; p < end; ++p) {
        const char c = *p;
        if (c == '.' && !inFraction) {
            inFraction = true;
            continue;
        }
        if (!isDigit(c))
            break;
        seenDigit = true;
        if (inFraction)
            --power;
        if (c == '0') {
            if (count > 0)
                ++pendingZeros; // a leading zero is never significant
            continue;
        }
        if (count + pendingZeros + 1 > kMaxSignificantDigits)
            return false;
        for (; pendingZeros > 0; --pendingZeros)
            digits[count++] = '0';
        digits[count++] = c;
    }
    if (!seenDigit || count == 0)
        return false;      // not a number, or zero
    power += pendingZeros; // trailing zeros only scale the value

    int exponent = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        const bool negativeExponent = p < end && *p == '-';
        if (p < end && (*p == '-' || *p == '+'))
            ++p;
        const char* exponentDigits = p;
        for (; p < end && isDigit(*p); ++p) {
            if (p - exponentDigits >= 4)
                return false;
            exponent = exponent * 10 + (*p - '0');
        }
        if (p == exponentDigits)
            return false;
        if (negativeExponent)
            exponent = -exponent;
    }
    if (p != end)
        return false;

    // Scientific exponent: the value is d.ddd x 10^scientific.
    const int scientific = power + exponent + count - 1;
    if (scientific >= 0 || scientific < kMinExponent)
        return false;

    const int magnitude = -scientific;
    const int exponentWidth = magnitude >= 100 ? 3 : 2;
    const int fixedLength = 2 + (magnitude - 1) + count;                          // 0.000ddd
    const int scientificLength = 1 + (count > 1 ? count : 0) + 2 + exponentWidth; // d.ddde-XX
    if (negative)
        out->append('-');
    if (fixedLength <= scientificLength) {
        out->append("0.", 2);
        out->append(qsizetype(magnitude - 1), '0');
        out->append(digits, count);
        return true;
    }
    out->append(digits[0]);
    if (count > 1) {
        out->append('.');
        out->append(digits + 1, count - 1);
    }
    out->append("e-", 2);
    if (magnitude >= 100)
        out->append(char('0' + magnitude / 100));
    out->append(char('0' + magnitude / 10 % 10));
    out->append(char('0' + magnitude % 10));
    return true;
}

} // namespace batchdeck::json
