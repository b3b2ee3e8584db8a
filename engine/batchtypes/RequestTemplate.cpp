#include "RequestTemplate.h"

#include <QJsonArray>
#include <QLocale>
#include <QStringView>

#include "core/Json.h"

namespace batchdeck {

namespace {

struct Span
{
    qsizetype begin = 0;
    qsizetype end = 0;
    QStringView name;
};

bool isNameChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.';
}

// The next "{{ NAME }}" at or after `from`. A "{{" not followed by a name and "}}" is literal text:
// the search goes on from the next character, so "{{{item.a}}}" still finds {{item.a}}.
std::optional<Span> nextPlaceholder(QStringView text, qsizetype from)
{
    const qsizetype size = text.size();
    for (;;) {
        const qsizetype open = text.indexOf(u"{{", from);
        if (open < 0)
            return std::nullopt;
        qsizetype i = open + 2;
        while (i < size && text[i] == u' ')
            ++i;
        const qsizetype nameBegin = i;
        while (i < size && isNameChar(text[i]))
            ++i;
        const qsizetype nameEnd = i;
        while (i < size && text[i] == u' ')
            ++i;
        if (nameEnd > nameBegin && i + 1 < size && text[i] == u'}' && text[i + 1] == u'}')
            return Span{open, i + 2, text.sliced(nameBegin, nameEnd - nameBegin)};
        from = open + 1;
    }
}

const QString kPlaceholderHelp =
    QStringLiteral("use {{item.FIELD}}, {{item}}, {{key}}, {{run.id}} or {{run.params.NAME}}");

// Fills `out` from a placeholder name; gives the reason when the name is not one we know.
std::optional<QString> parseName(QStringView name, Placeholder& out)
{
    out.text = u"{{" + name.toString() + u"}}";
    const QList<QStringView> segments = name.split(u'.');
    for (QStringView segment : segments) {
        if (segment.isEmpty())
            return QStringLiteral("placeholder %1 has an empty field name").arg(out.text);
    }
    const QStringView first = segments.front();
    if (first == u"item") {
        out.root = segments.size() == 1 ? Placeholder::Root::Item : Placeholder::Root::ItemField;
    } else if (first == u"key" && segments.size() == 1) {
        out.root = Placeholder::Root::Key;
    } else if (first == u"run" && segments.size() == 2 && segments[1] == u"id") {
        out.root = Placeholder::Root::RunId;
    } else if (first == u"run" && segments.size() >= 3 && segments[1] == u"params") {
        out.root = Placeholder::Root::RunParam;
    } else {
        return QStringLiteral("unknown placeholder %1 (%2)").arg(out.text, kPlaceholderHelp);
    }
    const qsizetype skip = out.root == Placeholder::Root::RunParam ? 2 : 1;
    for (qsizetype i = skip; i < segments.size(); ++i)
        out.path.append(segments[i].toString());
    return std::nullopt;
}

QJsonValue lookup(const QJsonObject& root, const QStringList& path)
{
    QJsonValue current = root.value(path.front());
    for (qsizetype i = 1; i < path.size(); ++i) {
        if (current.isObject()) {
            current = current.toObject().value(path[i]);
        } else if (current.isArray()) {
            bool isNumber = false;
            const int index = path[i].toInt(&isNumber);
            current = isNumber && index >= 0 ? current.toArray().at(index) : QJsonValue(QJsonValue::Undefined);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return current;
}

QString typeName(const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("undefined");
}

// Why lookup() found nothing, step by step, for the error message (the slow path: errors only).
QString whyMissing(const QJsonObject& root, const QStringList& path, const QString& rootName)
{
    QJsonValue current = root;
    QStringList walked;
    const auto where = [&] { return walked.isEmpty() ? rootName : u'\'' + walked.join(u'.') + u'\''; };
    for (const QString& segment : path) {
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            if (!object.contains(segment))
                return QStringLiteral("%1 has no field '%2'").arg(where(), segment);
            current = object.value(segment);
        } else if (current.isArray()) {
            bool isNumber = false;
            const int index = segment.toInt(&isNumber);
            const qsizetype size = current.toArray().size();
            if (!isNumber || index < 0 || index >= size)
                return QStringLiteral("%1 is an array of %2 elements, with no element '%3'")
                    .arg(where())
                    .arg(size)
                    .arg(segment);
            current = current.toArray().at(index);
        } else {
            return QStringLiteral("%1 is %2, so it has no field '%3'").arg(where(), typeName(current), segment);
        }
        walked.append(segment);
    }
    return QStringLiteral("%1 is null").arg(where());
}

QString numberText(const QJsonValue& value)
{
    const double number = value.toDouble();
    const qint64 integer = value.toInteger();
    // Integers print exactly (no "3.0", no exponent for large ids); other numbers in their shortest form.
    if (double(integer) == number)
        return QString::number(integer);
    return QString::number(number, 'g', QLocale::FloatingPointShortest);
}

void appendText(QString& out, const QJsonValue& value)
{
    switch (value.type()) {
    case QJsonValue::String:
        out += value.toString();
        break;
    case QJsonValue::Bool:
        out += value.toBool() ? u"true" : u"false";
        break;
    case QJsonValue::Double:
        out += numberText(value);
        break;
    case QJsonValue::Array:
        out += QString::fromUtf8(json::compact(value.toArray()));
        break;
    case QJsonValue::Object:
        out += QString::fromUtf8(json::compact(value.toObject()));
        break;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break; // resolve() never hands these out
    }
}

} // namespace

struct RequestTemplate::RenderState
{
    const RenderScope& scope;
    std::optional<QString> payloadText; // {{item}}, written once per item however often it is used
    int failed = -1;                    // the placeholder that had no value
};

RequestTemplate::RequestTemplate()
{
    m_root = addNode(Node{Node::Kind::Constant, QJsonObject()});
}

std::optional<RequestTemplate>
RequestTemplate::compile(const QJsonObject& source, const QString& field, QList<BatchTypeProblem>& problems)
{
    const qsizetype problemsBefore = problems.size();
    RequestTemplate compiled;
    compiled.m_nodes.clear();
    const int root = compiled.compileValue(source, field, problems);
    compiled.m_root = root >= 0 ? root : compiled.addNode(Node{Node::Kind::Constant, source});
    if (problems.size() != problemsBefore)
        return std::nullopt;
    return compiled;
}

int RequestTemplate::addNode(Node node)
{
    m_nodes.push_back(std::move(node));
    return int(m_nodes.size()) - 1;
}

// Gives the index of the node that renders `value`, or -1 when it holds no placeholder, in which
// case the parent keeps the value itself: constant subtrees cost nothing per item.
int RequestTemplate::compileValue(const QJsonValue& value, const QString& field, QList<BatchTypeProblem>& problems)
{
    if (value.isString())
        return compileString(value.toString(), field, problems);
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        Node node{Node::Kind::Object};
        QJsonObject constants;
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString childField = field + u'.' + it.key();
            if (nextPlaceholder(it.key(), 0))
                problems.append({{}, childField, QStringLiteral("placeholders are not substituted in field names")});
            const int child = compileValue(it.value(), childField, problems);
            if (child < 0)
                constants.insert(it.key(), it.value());
            else
                node.members.emplace_back(it.key(), child);
        }
        if (node.members.empty())
            return -1;
        node.value = constants;
        return addNode(std::move(node));
    }
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        Node node{Node::Kind::Array};
        QJsonArray constants;
        for (qsizetype i = 0; i < array.size(); ++i) {
            const int child = compileValue(array.at(i), field + u'[' + QString::number(i) + u']', problems);
            if (child < 0) {
                constants.append(array.at(i));
            } else {
                constants.append(QJsonValue::Null);
                node.elements.emplace_back(i, child);
            }
        }
        if (node.elements.empty())
            return -1;
        node.value = constants;
        return addNode(std::move(node));
    }
    return -1;
}

int RequestTemplate::compileString(const QString& text, const QString& field, QList<BatchTypeProblem>& problems)
{
    Node node{Node::Kind::Text};
    qsizetype position = 0;
    while (const std::optional<Span> span = nextPlaceholder(text, position)) {
        if (span->begin > position) {
            node.pieces.push_back(Piece{text.mid(position, span->begin - position)});
            node.literalSize += span->begin - position;
        }
        Placeholder placeholder;
        placeholder.field = field;
        if (const std::optional<QString> problem = parseName(span->name, placeholder)) {
            problems.append({{}, field, *problem});
        } else {
            m_placeholders.append(placeholder);
            node.pieces.push_back(Piece{{}, int(m_placeholders.size()) - 1});
        }
        position = span->end;
    }
    if (position == 0)
        return -1;
    if (position < text.size()) {
        node.pieces.push_back(Piece{text.mid(position)});
        node.literalSize += text.size() - position;
    }
    if (node.pieces.size() == 1 && node.pieces.front().placeholder >= 0) {
        node.kind = Node::Kind::Whole;
        node.placeholder = node.pieces.front().placeholder;
        node.pieces.clear();
    }
    return addNode(std::move(node));
}

Result<QJsonObject> RequestTemplate::render(const RenderScope& scope) const
{
    RenderState state{scope};
    const QJsonValue body = renderNode(m_root, state);
    if (state.failed < 0)
        return body.toObject();

    const Placeholder& placeholder = m_placeholders.at(state.failed);
    QString why;
    switch (placeholder.root) {
    case Placeholder::Root::ItemField:
        why = whyMissing(scope.payload, placeholder.path, QStringLiteral("the payload"));
        break;
    case Placeholder::Root::RunParam:
        why = whyMissing(scope.runParams, placeholder.path, QStringLiteral("run.params"));
        break;
    case Placeholder::Root::RunId:
        why = QStringLiteral("the run id is empty");
        break;
    case Placeholder::Root::Item:
    case Placeholder::Root::Key:
        why = QStringLiteral("no value");
        break;
    }
    return makeError(ErrorKind::InvalidInput,
                     QStringLiteral("item '%1': placeholder %2 in %3 has no value: %4")
                         .arg(scope.key, placeholder.text, placeholder.field, why));
}

Status RequestTemplate::checkRun(const QString& runId, const QJsonObject& runParams) const
{
    for (const Placeholder& placeholder : m_placeholders) {
        if (placeholder.root == Placeholder::Root::RunId && runId.isEmpty())
            return makeError(
                ErrorKind::InvalidInput,
                QStringLiteral("placeholder %1 in %2 needs a run id").arg(placeholder.text, placeholder.field));
        if (placeholder.root != Placeholder::Root::RunParam)
            continue;
        const QJsonValue value = lookup(runParams, placeholder.path);
        if (value.isUndefined() || value.isNull())
            return makeError(ErrorKind::InvalidInput,
                             QStringLiteral("placeholder %1 in %2 has no value: %3")
                                 .arg(placeholder.text,
                                      placeholder.field,
                                      whyMissing(runParams, placeholder.path, QStringLiteral("run.params"))));
    }
    return {};
}

QJsonValue RequestTemplate::renderNode(int index, RenderState& state) const
{
    const Node& node = m_nodes[size_t(index)];
    switch (node.kind) {
    case Node::Kind::Constant:
        return node.value;
    case Node::Kind::Whole:
        return resolve(node.placeholder, state);
    case Node::Kind::Text: {
        QString text;
        text.reserve(node.literalSize + 64);
        for (const Piece& piece : node.pieces) {
            if (piece.placeholder < 0) {
                text += piece.literal;
                continue;
            }
            const QJsonValue value = resolve(piece.placeholder, state);
            if (state.failed >= 0)
                return {};
            appendText(text, value);
        }
        return text;
    }
    case Node::Kind::Object: {
        QJsonObject object = node.value.toObject();
        for (const auto& [key, child] : node.members) {
            QJsonValue value = renderNode(child, state);
            if (state.failed >= 0)
                return {};
            object.insert(key, value);
        }
        return object;
    }
    case Node::Kind::Array: {
        QJsonArray array = node.value.toArray();
        for (const auto& [position, child] : node.elements) {
            QJsonValue value = renderNode(child, state);
            if (state.failed >= 0)
                return {};
            array.replace(position, value);
        }
        return array;
    }
    }
    Q_UNREACHABLE();
    return {};
}

// The value of one placeholder; on a missing or null value it records the failure and gives undefined.
QJsonValue RequestTemplate::resolve(int index, RenderState& state) const
{
    const Placeholder& placeholder = m_placeholders.at(index);
    QJsonValue value;
    switch (placeholder.root) {
    case Placeholder::Root::Item:
        if (!state.payloadText)
            state.payloadText = QString::fromUtf8(json::compact(state.scope.payload));
        value = *state.payloadText;
        break;
    case Placeholder::Root::ItemField:
        value = lookup(state.scope.payload, placeholder.path);
        break;
    case Placeholder::Root::Key:
        value = state.scope.key;
        break;
    case Placeholder::Root::RunId:
        if (!state.scope.runId.isEmpty())
            value = state.scope.runId;
        break;
    case Placeholder::Root::RunParam:
        value = lookup(state.scope.runParams, placeholder.path);
        break;
    }
    if (value.isUndefined() || value.isNull()) {
        state.failed = index;
        return QJsonValue(QJsonValue::Undefined);
    }
    return value;
}

} // namespace batchdeck
