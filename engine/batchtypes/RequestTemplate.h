#pragma once

#include <optional>
#include <utility>
#include <vector>

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

#include "batchtypes/BatchTypeProblem.h"
#include "core/Result.h"

namespace batchdeck {

// One placeholder of a template, as written in some string of it.
struct Placeholder
{
    enum class Root
    {
        Item,      // {{item}}: the whole payload as compact JSON text
        ItemField, // {{item.a.b}}: a field of the payload (a number segment indexes an array)
        Key,       // {{key}}: the item key, which is also the request's custom_id
        RunId,     // {{run.id}}
        RunParam,  // {{run.params.a.b}}: a field of the run's parameters object
    };

    Root root = Root::Item;
    QStringList path; // ItemField and RunParam: the segments after "item." or "run.params."
    QString text;     // "{{item.a.b}}", for messages
    QString field;    // where it was found: "template.messages[1].content"
};

// What one rendering reads. It holds references: build one per item, on the stack.
struct RenderScope
{
    const QString& key;
    const QJsonObject& payload;
    const QString& runId;
    const QJsonObject& runParams;
};

// A request template compiled once and rendered for many items.
//
// Rules, which resources/batch-types/README.md repeats for users:
// - Placeholders are substituted inside string values only, never in field names. A placeholder is
//   "{{" NAME "}}" with optional spaces inside the braces, where NAME is letters, digits, '_', '-'
//   and '.'. Any other "{{" is literal text, so JSON examples in a prompt ("{{\"a\": 1}}") survive.
// - A string that is exactly one placeholder takes the value's JSON type: "{{item.texts}}" with an
//   array value becomes that array, a number stays a number. The exceptions are {{item}}, {{key}}
//   and {{run.id}}, which are always strings ({{item}} is the payload's JSON text, because the
//   payload object itself is never what a request field wants).
// - Inside a longer string a value is spliced in as text: strings as they are, numbers and booleans
//   as their JSON text, arrays and objects as compact JSON.
// - A value that is absent or null is an error naming the item and the placeholder: an empty string
//   is never sent to the provider in its place.
// Substitution happens on the JSON values and QJsonDocument writes the result, so quotes,
// backslashes, control characters and any Unicode are escaped correctly whatever the values hold.
class RequestTemplate
{
public:
    RequestTemplate(); // the empty object

    // Compiles a template object. `field` names it in problems ("template"). Every problem found is
    // appended, and nullopt returned if there was any.
    static std::optional<RequestTemplate>
    compile(const QJsonObject& source, const QString& field, QList<BatchTypeProblem>& problems);

    // The body for one item. Safe to call from several threads at once.
    Result<QJsonObject> render(const RenderScope& scope) const;

    // Checks the placeholders that read the run ({{run.id}}, {{run.params.x}}), which are the same for
    // every item: a missing run parameter is one error before rendering, not one per item.
    Status checkRun(const QString& runId, const QJsonObject& runParams) const;

    const QList<Placeholder>& placeholders() const { return m_placeholders; }

private:
    struct Piece
    {
        QString literal;
        int placeholder = -1; // an index into m_placeholders, or -1 for literal text
    };

    struct Node
    {
        enum class Kind : quint8
        {
            Constant, // no placeholder below: `value` as it is
            Text,     // a string mixing text and placeholders
            Whole,    // a string that is exactly one placeholder
            Object,   // `value` holds the constant members; `members` are rendered
            Array,    // `value` holds the constant elements (null where a rendered one goes)
        };

        Kind kind = Kind::Constant;
        QJsonValue value;
        std::vector<Piece> pieces;
        qsizetype literalSize = 0;
        int placeholder = -1;
        std::vector<std::pair<QString, int>> members;
        std::vector<std::pair<qsizetype, int>> elements;
    };

    struct RenderState;

    int compileValue(const QJsonValue& value, const QString& field, QList<BatchTypeProblem>& problems);
    int compileString(const QString& text, const QString& field, QList<BatchTypeProblem>& problems);
    int addNode(Node node);
    QJsonValue renderNode(int index, RenderState& state) const;
    QJsonValue resolve(int placeholder, RenderState& state) const;

    std::vector<Node> m_nodes;
    int m_root = -1;
    QList<Placeholder> m_placeholders;
};

} // namespace batchdeck
