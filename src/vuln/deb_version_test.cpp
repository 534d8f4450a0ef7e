// deb-version(5) ordering: the cases scanners get wrong, then a differential test against dpkg's
// own comparison on 100,000 generated pairs. dpkg's comparison is reached in two ways: the
// `dpkg --compare-versions` binary (an exec costs ~14 ms on the CI machine, so it checks a
// sample) and Dpkg::Version from libdpkg-perl, the dpkg source package's own implementation,
// run once over every pair in one process. The sample ties the two together.
#include "vuln/deb_version.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

namespace rampart::vuln {
namespace {

int Cmp(std::string_view a, std::string_view b) {
  auto va = DebVersion::Parse(a), vb = DebVersion::Parse(b);
  EXPECT_TRUE(va && vb) << a << " / " << b;
  if (!va || !vb) return 0;
  const int c = Compare(*va, *vb);
  return (c > 0) - (c < 0);
}

TEST(DebVersion, TheOrderingsScannersGetWrong) {
  EXPECT_EQ(Cmp("1.0~rc1", "1.0"), -1);                       // ~ before the end
  EXPECT_EQ(Cmp("1.0", "1.0+deb12u1"), -1);                   // a security update is newer
  EXPECT_EQ(Cmp("1.11.0-1+deb13u1", "1.11.0-1"), 1);
  EXPECT_EQ(Cmp("1:7.0.5+dfsg-1~bpo12+1", "1:7.0.5+dfsg-1"), -1);  // a backport is older
  EXPECT_EQ(Cmp("1:7.0.5+dfsg-1~bpo12+1", "7.0.6"), 1);       // the epoch wins
  EXPECT_EQ(Cmp("2:1.0", "1:9.9"), 1);
  EXPECT_EQ(Cmp("1.0a", "1.0"), 1);                           // a letter after the end
  EXPECT_EQ(Cmp("1.0a", "1.0+"), -1);                         // letters before other characters
  EXPECT_EQ(Cmp("1.0", "1.0~"), 1);
  EXPECT_EQ(Cmp("1.0~~", "1.0~~a"), -1);
  EXPECT_EQ(Cmp("1.0~~a", "1.0~"), -1);
  EXPECT_EQ(Cmp("1.00", "1.0"), 0);                           // digit runs as numbers
  EXPECT_EQ(Cmp("1.010", "1.9"), 1);
  EXPECT_EQ(Cmp("1.0-0", "1.0"), 0);                          // no revision orders like "0"
  EXPECT_EQ(Cmp("0:1.0", "1.0"), 0);
  EXPECT_EQ(Cmp("2.36-9+deb12u4", "2.36-9+deb12u10"), -1);
  EXPECT_EQ(Cmp("6.1.0-18", "6.1.0-9"), 1);
  EXPECT_EQ(Cmp("1.0-beta-1", "1.0-beta-2"), -1);             // the revision is after the last hyphen
  EXPECT_EQ(Cmp("99999999999999999999", "99999999999999999998"), 1);  // no overflow
}

TEST(DebVersion, BadVersionsAreRefusedWithAReason) {
  std::string why;
  for (const char* bad : {"", "a1.0", "1.0-", ":1.0", "x:1.0", "1:", "1.0 1", "1.0_1", "1.0-1_2", "-1", "1.0:1",
                          "1234567890:1"}) {
    EXPECT_FALSE(DebVersion::Parse(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
  EXPECT_FALSE(DebVersion::Parse(std::string(257, '1')));
  auto v = DebVersion::Parse("1:2.3-4:5", &why);  // a colon in upstream only after an epoch
  EXPECT_FALSE(v);
  v = DebVersion::Parse("1:2.3:4-5");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->epoch, 1u);
  EXPECT_EQ(v->upstream, "2.3:4");
  EXPECT_EQ(v->revision, "5");
  EXPECT_EQ(DebVersion::Parse("0:1.0-1")->ToString(), "1.0-1");
}

// Versions built from the pieces that matter: epochs, digit runs with leading zeros, letters,
// '.', '+', '~', and Debian's suffixes; half of the pairs are near misses of each other.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}
  std::string Version() {
    std::string v;
    if (Pick(5) == 0) v += std::to_string(Pick(3)) + ":";
    v += Number();
    for (int n = Pick(4); n-- > 0;) v += Piece();
    if (Pick(3)) v += "-" + Revision();
    return v;
  }
  // A version close to `v` (a valid one: an edit that breaks the syntax is replaced).
  std::string Near(const std::string& v) {
    std::string out = Edit(v);
    return DebVersion::Parse(out) ? out : v + ".1";
  }

 private:
  std::string Edit(const std::string& v) {
    std::string out = v;
    switch (Pick(5)) {
      case 0: return out + Piece();
      case 1: return out + "~" + Word();
      case 2: return out.size() > 1 ? out.substr(0, out.size() - 1) : out;
      case 3: return out + (out.find('-') == std::string::npos ? "-" + Revision() : "+deb12u" + std::to_string(Pick(12)));
      default: {
        const size_t at = Pick(static_cast<int>(out.size()));
        if (out[at] >= '0' && out[at] <= '8') out[at] = static_cast<char>(out[at] + 1);
        return out;
      }
    }
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string Number() { return std::string(Pick(4) == 0 ? 1 : 0, '0') + std::to_string(Pick(4) ? Pick(20) : Pick(100000)); }
  std::string Word() {
    static const char* kWords[] = {"a", "b", "rc", "beta", "dfsg", "bpo", "deb", "git", "Z", "ubuntu"};
    return kWords[Pick(10)];
  }
  std::string Piece() {
    switch (Pick(6)) {
      case 0: return "." + Number();
      case 1: return "+" + Word() + Number();
      case 2: return "~" + Word() + Number();
      case 3: return Word();
      case 4: return "." + Word();
      default: return "~";
    }
  }
  std::string Revision() {
    std::string r = Number();
    switch (Pick(5)) {
      case 0: return r + "+deb" + std::to_string(10 + Pick(4)) + "u" + std::to_string(Pick(12));
      case 1: return r + "~bpo" + std::to_string(10 + Pick(4)) + "+" + std::to_string(Pick(3));
      case 2: return r + "." + Number();
      case 3: return r + Word();
      default: return r;
    }
  }
  std::mt19937_64 rng_;
};

// Runs `argv` with `input` on its stdin; its stdout, or nullopt when it could not run.
std::optional<std::string> RunWithInput(const std::vector<std::string>& argv, const std::string& input) {
  char in_path[] = "/tmp/rampart-debver-XXXXXX";
  int fd = ::mkstemp(in_path);
  if (fd < 0) return std::nullopt;
  ::close(fd);
  std::ofstream(in_path) << input;
  std::string command;
  for (const auto& a : argv) command += "'" + a + "' ";
  command += std::string("< ") + in_path;
  FILE* p = ::popen(command.c_str(), "r");
  std::string out;
  char buf[65536];
  for (size_t n; p && (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = p ? ::pclose(p) : -1;
  ::unlink(in_path);
  if (status != 0) return std::nullopt;
  return out;
}

int Sign(int c) { return (c > 0) - (c < 0); }

TEST(DebVersion, AgreesWithDpkgOnAHundredThousandGeneratedPairs) {
  Generator g(20261202);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (int i = 0; i < 100000; ++i) {
    std::string a = g.Version();
    pairs.emplace_back(a, i % 2 ? g.Near(a) : g.Version());
  }
  std::string input;
  for (const auto& [a, b] : pairs) {
    ASSERT_TRUE(DebVersion::Parse(a) && DebVersion::Parse(b)) << a << " / " << b;
    input += a + " " + b + "\n";
  }
  // Dpkg::Version over every pair, in one process.
  auto perl = RunWithInput({"perl", "-MDpkg::Version", "-ne",
                            "chomp; my ($a, $b) = split / /; print version_compare($a, $b) <=> 0, qq(\\n)"},
                           input);
  ASSERT_TRUE(perl) << "perl with Dpkg::Version (libdpkg-perl; scripts/install-deps installs it) did not run";
  std::istringstream lines(*perl);
  int differ = 0, equal = 0;
  for (const auto& [a, b] : pairs) {
    int theirs = 2;
    ASSERT_TRUE(lines >> theirs);
    const int ours = Sign(Compare(*DebVersion::Parse(a), *DebVersion::Parse(b)));
    equal += ours == 0;
    if (ours != theirs && ++differ <= 10) ADD_FAILURE() << a << " vs " << b << ": ours " << ours << ", dpkg " << theirs;
  }
  EXPECT_EQ(differ, 0);
  EXPECT_GT(equal, 100);  // the generator reaches equal pairs too (leading zeros, "-0")
  // The dpkg binary on a sample (both orders): the same answers.
  for (size_t i = 0; i < 200; ++i) {
    const auto& [a, b] = pairs[i * 499];
    const int ours = Sign(Compare(*DebVersion::Parse(a), *DebVersion::Parse(b)));
    const char* op = ours < 0 ? "lt" : ours == 0 ? "eq" : "gt";
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::execlp("dpkg", "dpkg", "--compare-versions", a.c_str(), op, b.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "dpkg --compare-versions " << a << " " << op << " " << b;
  }
}

}  // namespace
}  // namespace rampart::vuln
