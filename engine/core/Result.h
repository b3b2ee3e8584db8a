#pragma once

#include <optional>
#include <utility>
#include <variant>

#include <QString>

namespace batchdeck {

// What went wrong, coarse enough for a front-end to pick an HTTP status or an exit code.
enum class ErrorKind
{
    InvalidInput,      // the caller's input is wrong (bad file, bad URL, bad name)
    NotFound,          // no such run, job, batch type, file
    Conflict,          // the request does not fit the current state (illegal transition, lease held)
    Database,          // the store failed (unreachable, locked, constraint, disk)
    SchemaTooNew,      // the database was written by a newer Batchdeck
    ProviderTransient, // the provider failed in a way worth retrying later
    ProviderPermanent, // the provider refused the request for good
    Io,                // local file system trouble
    Internal,          // a bug: something that should not happen
};

struct Error
{
    ErrorKind kind = ErrorKind::Internal;
    QString message;
    QString code; // a stable machine-readable code for APIs ("submission_in_progress"); may be empty
};

inline Error makeError(ErrorKind kind, QString message)
{
    return Error{kind, std::move(message), {}};
}

inline Error makeError(ErrorKind kind, QString code, QString message)
{
    return Error{kind, std::move(message), std::move(code)};
}

// An expected-like value: either a T or an Error. Kept tiny on purpose (std::expected is C++23).
template <typename T> class [[nodiscard]] Result
{
public:
    // An empty result is an error; it exists because QCoro::waitFor needs default-constructible values.
    Result()
        : m_data(Error{ErrorKind::Internal, QStringLiteral("no result"), {}})
    {}
    Result(T value)
        : m_data(std::move(value))
    {}
    Result(Error error)
        : m_data(std::move(error))
    {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_data); }
    const T& value() const& { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template <> class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {}

    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

using Status = Result<void>;

} // namespace batchdeck
