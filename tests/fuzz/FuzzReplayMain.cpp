// The main of a fuzz target in the normal (g++) build: feeds every file given on the command line,
// or every file of every folder given, to the target's LLVMFuzzerTestOneInput once, so that CTest
// replays the seed corpus (and every crasher added to it) without Clang or any new fuzzing.
// libFuzzer builds (-DBATCHDECK_FUZZ=ON) link libFuzzer's own main instead.
#include <cstdint>
#include <cstdio>

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv)
{
    int inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const QString path = QString::fromLocal8Bit(argv[i]);
        QFileInfoList files;
        if (QFileInfo(path).isDir())
            files = QDir(path).entryInfoList(QDir::Files, QDir::Name);
        else
            files.append(QFileInfo(path));
        for (const QFileInfo& info : std::as_const(files)) {
            QFile file(info.filePath());
            if (!file.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "cannot read %s\n", qPrintable(info.filePath()));
                return 2;
            }
            const QByteArray input = file.readAll();
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.constData()), size_t(input.size()));
            ++inputs;
        }
    }
    std::printf("%d inputs ran clean\n", inputs);
    return inputs > 0 ? 0 : 2;
}
