// musictag_sweep expansion: grid count and order, seeded random samples, run configs, and bad sweep files.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "slurm/sweep/sweep_collect.h"
#include "slurm/sweep/sweep_expand.h"
#include "slurm/sweep/sweep_leaderboard.h"
#include "slurm/sweep/sweep_random.h"
#include "slurm/sweep/sweep_run_config.h"
#include "slurm/sweep/sweep_spec.h"
#include "sweep_test_support.h"

namespace musictag::sweep {
namespace {

using test::error_of;

std::vector<std::string> texts(const SweepRun& run) {
  std::vector<std::string> out;
  for (const auto& o : run.overrides) out.push_back(override_text(o));
  return out;
}

SweepSpec parse(const std::string& yaml) { return SweepSpec::parse(yaml, "test.yaml", "/configs"); }

TEST(SweepExpand, GridCountAndOrderLastKeyFastest) {
  const SweepSpec spec = parse(
      "sweep:\n  base: demo.yaml\n  grid:\n    train.learning_rate: [0.001, 0.003, 0.01]\n"
      "    model.gru_hidden: [16, 32]\n");
  EXPECT_EQ(spec.base, "/configs/demo.yaml");
  EXPECT_EQ(spec.run_count(), 6);
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 6u);
  const std::vector<std::vector<std::string>> expected = {
      {"train.learning_rate=0.001", "model.gru_hidden=16"}, {"train.learning_rate=0.001", "model.gru_hidden=32"},
      {"train.learning_rate=0.003", "model.gru_hidden=16"}, {"train.learning_rate=0.003", "model.gru_hidden=32"},
      {"train.learning_rate=0.01", "model.gru_hidden=16"},  {"train.learning_rate=0.01", "model.gru_hidden=32"}};
  for (size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(runs[i].index, static_cast<int64_t>(i));
    EXPECT_EQ(runs[i].name, "run-00" + std::to_string(i));
    EXPECT_EQ(texts(runs[i]), expected[i]) << "run " << i;
  }
}

TEST(SweepExpand, ThreeAxesAndListValues) {
  const SweepSpec spec = parse(
      "sweep:\n  base: b.yaml\n  grid:\n    train.seed: [1, 2]\n    model.conv_channels: [[8, 8], [16, 16], [32, 32]]\n"
      "    train.optimizer: [adam, sgd]\n");
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 12u);
  EXPECT_EQ(texts(runs[0]),
            (std::vector<std::string>{"train.seed=1", "model.conv_channels=[8, 8]", "train.optimizer=adam"}));
  EXPECT_EQ(texts(runs[3]),
            (std::vector<std::string>{"train.seed=1", "model.conv_channels=[16, 16]", "train.optimizer=sgd"}));
  EXPECT_EQ(texts(runs[11]),
            (std::vector<std::string>{"train.seed=2", "model.conv_channels=[32, 32]", "train.optimizer=sgd"}));
}

TEST(SweepExpand, RunNamesPadToTheLargestIndex) {
  EXPECT_EQ(run_name(0, 1), "run-000");
  EXPECT_EQ(run_name(7, 10), "run-007");
  EXPECT_EQ(run_name(999, 1000), "run-999");
  EXPECT_EQ(run_name(7, 1001), "run-0007");
  EXPECT_EQ(run_name(12345, 20000), "run-12345");
}

const char* kRandomSweep =
    "sweep:\n  base: b.yaml\n  random:\n    n: {n}\n    seed: {seed}\n    params:\n"
    "      train.learning_rate: {{log_uniform: [0.0001, 0.1]}}\n"
    "      train.weight_decay: {{values: [0, 0.0001, 0.001]}}\n"
    "      train.batch_size: {{int_uniform: [4, 6]}}\n"
    "      train.momentum: {{uniform: [0.5, 0.9]}}\n";

SweepSpec random_spec(int n, int seed) {
  return parse(fmt::format(kRandomSweep, fmt::arg("n", n), fmt::arg("seed", seed)));
}

TEST(SweepRandom, SamplesAreSeededReproducibleAndInRange) {
  const auto a = expand_sweep(random_spec(40, 7));
  const auto b = expand_sweep(random_spec(40, 7));
  const auto other = expand_sweep(random_spec(40, 8));
  ASSERT_EQ(a.size(), 40u);
  std::set<std::string> batch_sizes, decays;
  int differing = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(texts(a[i]), texts(b[i])) << "same seed, run " << i;
    if (texts(a[i]) != texts(other[i])) ++differing;
    ASSERT_EQ(a[i].overrides.size(), 4u);
    const double lr = a[i].overrides[0].value.as<double>();
    EXPECT_GE(lr, 0.0001);
    EXPECT_LE(lr, 0.1);
    // Rounded to 4 significant digits.
    EXPECT_EQ(lr, std::stod(fmt::format("{:.4g}", lr)));
    decays.insert(a[i].overrides[1].value.as<std::string>());
    const int64_t batch = a[i].overrides[2].value.as<int64_t>();
    EXPECT_GE(batch, 4);
    EXPECT_LE(batch, 6);
    batch_sizes.insert(std::to_string(batch));
    const double momentum = a[i].overrides[3].value.as<double>();
    EXPECT_GE(momentum, 0.5);
    EXPECT_LE(momentum, 0.9);
  }
  EXPECT_EQ(differing, 40) << "another seed gives other samples";
  EXPECT_EQ(batch_sizes, (std::set<std::string>{"4", "5", "6"})) << "int_uniform includes both ends";
  EXPECT_EQ(decays, (std::set<std::string>{"0", "0.0001", "0.001"}));
}

TEST(SweepRandom, RaisingNKeepsTheEarlierSamples) {
  const auto four = expand_sweep(random_spec(4, 3));
  const auto nine = expand_sweep(random_spec(9, 3));
  for (size_t i = 0; i < four.size(); ++i) EXPECT_EQ(texts(four[i]), texts(nine[i])) << "sample " << i;
}

TEST(SweepRandom, GridTimesSamplesRepeatsTheSamplesForEveryGridPoint) {
  const SweepSpec spec = parse(
      "sweep:\n  base: b.yaml\n  grid:\n    model.gru_hidden: [16, 32]\n"
      "  random:\n    n: 3\n    seed: 1\n    params:\n      train.learning_rate: {uniform: [0.001, 0.01]}\n");
  const auto runs = expand_sweep(spec);
  ASSERT_EQ(runs.size(), 6u);
  for (size_t s = 0; s < 3; ++s) {
    EXPECT_EQ(override_text(runs[s].overrides[0]), "model.gru_hidden=16");
    EXPECT_EQ(override_text(runs[3 + s].overrides[0]), "model.gru_hidden=32");
    EXPECT_EQ(override_text(runs[s].overrides[1]), override_text(runs[3 + s].overrides[1])) << "sample " << s;
  }
}

TEST(SweepSpecErrors, NamesTheFileTheKeyAndWhatIsAllowed) {
  const auto grid = [](const std::string& entry) {
    return error_of([&] { parse("sweep:\n  base: b.yaml\n  grid:\n    " + entry + "\n"); });
  };
  std::string m = grid("learning_rate: [1, 2]");
  EXPECT_NE(m.find("test.yaml"), std::string::npos) << m;
  EXPECT_NE(m.find("'learning_rate' is not of the form section.key"), std::string::npos) << m;
  m = grid("trian.learning_rate: [1, 2]");
  EXPECT_NE(m.find("unknown section 'trian'"), std::string::npos) << m;
  EXPECT_NE(m.find("dataset, features"), std::string::npos) << "lists the sections: " << m;
  m = grid("train.a.b: [1]");
  EXPECT_NE(m.find("'train.a.b' is not of the form section.key"), std::string::npos) << m;
  m = grid("train.epochs: 3");
  EXPECT_NE(m.find("sweep.grid.train.epochs: must be a non-empty list"), std::string::npos) << m;
  m = grid("train.epochs: []");
  EXPECT_NE(m.find("must be a non-empty list"), std::string::npos) << m;

  m = error_of([] { parse("sweep:\n  base: b.yaml\n  grids: {}\n"); });
  EXPECT_NE(m.find("sweep.grids: unknown key; allowed: name, base, set, grid, random"), std::string::npos) << m;
  m = error_of([] { parse("sweep:\n  grid: {train.epochs: [1]}\n"); });
  EXPECT_NE(m.find("sweep.base: missing"), std::string::npos) << m;
  m = error_of([] { parse("train:\n  epochs: 3\n"); });
  EXPECT_NE(m.find("one top-level section `sweep`"), std::string::npos) << m;
  m = error_of([] { parse("sweep:\n  base: b.yaml\ntrain: {epochs: 3}\n"); });
  EXPECT_NE(m.find("put config values for every run under sweep.set"), std::string::npos) << m;
  m = error_of([] { parse("sweep:\n  base: b.yaml\n  set: {train.epochs: 2}\n  grid: {train.epochs: [1, 2]}\n"); });
  EXPECT_NE(m.find("sweep.grid.train.epochs: appears twice"), std::string::npos) << m;
  m = error_of([] { parse("sweep:\n  base: b.yaml\n  grid: {train.epochs: [1, 2\n"); });
  EXPECT_NE(m.find("not valid YAML"), std::string::npos) << m;
  m = error_of([] { parse("sweep:\n  base: b.yaml\n  grid: [train.epochs, 1]\n"); });
  EXPECT_NE(m.find("sweep.grid: must be a mapping of section.key entries"), std::string::npos) << m;
  m = error_of([] { parse("sweep:\n  base: b.yaml\n  name: [a, b]\n"); });
  EXPECT_NE(m.find("test.yaml: "), std::string::npos) << "a value of the wrong kind is a ConfigError: " << m;
}

TEST(SweepSpecErrors, RandomSection) {
  const auto random = [](const std::string& body) {
    return error_of([&] { parse("sweep:\n  base: b.yaml\n  random:\n" + body); });
  };
  std::string m = random("    seed: 1\n    params: {train.x: {uniform: [0, 1]}}\n");
  EXPECT_NE(m.find("sweep.random.n: missing"), std::string::npos) << m;
  m = random("    n: 0\n    params: {train.x: {uniform: [0, 1]}}\n");
  EXPECT_NE(m.find("sweep.random.n: must be in [1,100000], got 0"), std::string::npos) << m;
  m = random("    n: 2\n    params: {train.x: {normal: [0, 1]}}\n");
  EXPECT_NE(m.find("unknown distribution 'normal'; allowed: values, uniform, log_uniform, int_uniform"),
            std::string::npos)
      << m;
  m = random("    n: 2\n    params: {train.x: {log_uniform: [0, 1]}}\n");
  EXPECT_NE(m.find("log_uniform needs low > 0, got 0"), std::string::npos) << m;
  m = random("    n: 2\n    params: {train.x: {uniform: [2, 1]}}\n");
  EXPECT_NE(m.find("needs finite low <= high"), std::string::npos) << m;
  m = random("    n: 2\n    params: {train.x: {int_uniform: [1.5, 3]}}\n");
  EXPECT_NE(m.find("needs integer ends"), std::string::npos) << m;
  m = random("    n: 2\n    params: {x: {uniform: [0, 1]}}\n");
  EXPECT_NE(m.find("sweep.random.params: key 'x' is not of the form section.key"), std::string::npos) << m;
  m = random("    n: 2\n");
  EXPECT_NE(m.find("sweep.random.params: missing or empty"), std::string::npos) << m;
}

TEST(SweepSpecErrors, TooManyRuns) {
  const std::string m = error_of([] {
    parse(
        "sweep:\n  base: b.yaml\n  grid:\n    train.seed: [1,2,3,4,5,6,7,8,9,10]\n    train.epochs: "
        "[1,2,3,4,5,6,7,8,9,10]\n"
        "  random: {n: 1001, params: {train.momentum: {uniform: [0, 1]}}}\n");
  });
  EXPECT_NE(m.find("100100 runs is more than the limit 100000"), std::string::npos) << m;
}

TEST(SweepRunConfig, MergesBaseFixedAndRunOverrides) {
  test::TempFolder dir("config");
  test::write_file(dir.path() / "base.yaml",
                   "model:\n  gru_hidden: 32\n  n_mels: 96\ntrain:\n  epochs: 12\n  learning_rate: 0.003\n");
  test::write_file(dir.path() / "sweeps" / "s.yaml",
                   "sweep:\n  name: s\n  base: ../base.yaml\n  set: {train.epochs: 2, eval.split: validation}\n"
                   "  grid: {train.learning_rate: [0.1, 0.2], model.gru_hidden: [8]}\n");
  const SweepSpec spec = SweepSpec::load(dir.str("sweeps/s.yaml"));
  const YAML::Node base = load_base_config(spec);
  const auto runs = expand_sweep(spec);
  const YAML::Node merged = YAML::Load(run_config_yaml(spec, base, runs[1]));
  EXPECT_EQ(merged["train"]["learning_rate"].as<double>(), 0.2);
  EXPECT_EQ(merged["train"]["epochs"].as<int>(), 2);
  EXPECT_EQ(merged["model"]["gru_hidden"].as<int>(), 8);
  EXPECT_EQ(merged["model"]["n_mels"].as<int>(), 96) << "base keys stay";
  EXPECT_EQ(merged["eval"]["split"].as<std::string>(), "validation") << "a section the base lacks is added";
  EXPECT_EQ(base["train"]["learning_rate"].as<double>(), 0.003) << "the base itself is not modified";
  EXPECT_EQ(keys_not_in_base(spec, -1, base), std::vector<std::string>{"eval.split"});
}

TEST(SweepRunConfig, BaseConfigErrorsNameTheSweepFile) {
  test::TempFolder dir("base");
  test::write_file(dir.path() / "s.yaml", "sweep:\n  base: missing.yaml\n  grid: {train.epochs: [1]}\n");
  std::string m = error_of([&] { load_base_config(SweepSpec::load(dir.str("s.yaml"))); });
  EXPECT_NE(m.find(dir.str("s.yaml")), std::string::npos) << m;
  EXPECT_NE(m.find("base config '" + dir.str("missing.yaml") + "' does not exist"), std::string::npos) << m;
  test::write_file(dir.path() / "missing.yaml", "trainer:\n  epochs: 3\n");
  m = error_of([&] { load_base_config(SweepSpec::load(dir.str("s.yaml"))); });
  EXPECT_NE(m.find("unknown section 'trainer'"), std::string::npos) << m;
  m = error_of([&] { SweepSpec::load(dir.str("nope.yaml")); });
  EXPECT_NE(m.find("sweep file '" + dir.str("nope.yaml") + "' does not exist"), std::string::npos) << m;
}

TEST(SweepRunConfig, SweepFolderIsWrittenOnceAndAnotherSweepIsRefused) {
  test::TempFolder dir("folder");
  test::write_file(dir.path() / "base.yaml", "train:\n  epochs: 1\n");
  test::write_file(dir.path() / "a.yaml", "sweep:\n  base: base.yaml\n  grid: {train.epochs: [1, 2, 3]}\n");
  test::write_file(dir.path() / "b.yaml", "sweep:\n  base: base.yaml\n  grid: {train.epochs: [4, 5]}\n");
  const auto write = [&](const std::string& file) {
    const SweepSpec spec = SweepSpec::load(dir.str(file));
    write_sweep_folder(spec, expand_sweep(spec), dir.str("out"));
  };
  write("a.yaml");
  for (const char* run : {"run-000", "run-001", "run-002"})
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "out" / run / "config.yaml")) << run;
  EXPECT_NE(test::read_file(dir.path() / "out/run-002/config.yaml").find("epochs: 3"), std::string::npos);
  EXPECT_NO_THROW(write("a.yaml")) << "the same sweep again (resubmitting)";
  const std::string m = error_of([&] { write("b.yaml"); });
  EXPECT_NE(m.find("holds another sweep"), std::string::npos) << m;
}

TEST(SweepVariants, EachVariantHasItsBaseAndSetAndTheLeaderboardShowsThePapersFigures) {
  test::TempFolder dir("variants");
  test::write_file(dir.path() / "protocol.yaml", "train:\n  epochs: 200\n  batch_size: 16\n");
  test::write_file(dir.path() / "fcn.yaml", "include: protocol.yaml\nmodel:\n  kind: fcn\n");
  test::write_file(dir.path() / "demo.yaml", "model:\n  kind: crnn\ntrain:\n  epochs: 3\n");
  test::write_file(dir.path() / "sweeps" / "zoo.yaml",
                   "sweep:\n  name: zoo\n  base: ../demo.yaml\n  reference_source: Won et al. 2020, Table 2\n"
                   "  grid: {train.seed: [1, 2]}\n  variants:\n"
                   "    - {name: fcn, base: ../fcn.yaml, reference: {macro_roc_auc: 0.9005, macro_pr_auc: 0.4295}}\n"
                   "    - {name: musicnn, set: {model.kind: musicnn}}\n");
  const SweepSpec spec = SweepSpec::load(dir.str("sweeps/zoo.yaml"));
  ASSERT_EQ(spec.run_count(), 4);
  const auto runs = expand_sweep(spec);
  EXPECT_EQ(runs[0].variant, 0);  // variants outermost, then the grid
  EXPECT_EQ(runs[1].variant, 0);
  EXPECT_EQ(runs[2].variant, 1);
  EXPECT_EQ(texts(runs[3]), std::vector<std::string>{"train.seed=2"});
  write_sweep_folder(spec, runs, dir.str("out"));
  const YAML::Node fcn = YAML::Load(test::read_file(dir.path() / "out/run-001/config.yaml"));
  EXPECT_EQ(fcn["model"]["kind"].as<std::string>(), "fcn");
  EXPECT_EQ(fcn["train"]["epochs"].as<int>(), 200) << "the include of the variant's base is merged in";
  EXPECT_FALSE(fcn["include"].IsDefined()) << "a run's config stands alone";
  EXPECT_EQ(fcn["train"]["seed"].as<int>(), 2);
  const YAML::Node musicnn = YAML::Load(test::read_file(dir.path() / "out/run-002/config.yaml"));
  EXPECT_EQ(musicnn["model"]["kind"].as<std::string>(), "musicnn") << "the variant's set over the sweep's base";
  EXPECT_EQ(musicnn["train"]["epochs"].as<int>(), 3);

  for (const char* run : {"run-000", "run-001", "run-002"})  // run-003 never finished
    test::write_file(dir.path() / "out" / run / "eval/eval.json",
                     R"({"summary": {"macro_roc_auc": 0.8, "micro_roc_auc": 0.85, "macro_pr_auc": 0.3, )"
                     R"("micro_pr_auc": 0.4}})");
  const Leaderboard board = collect_sweep(dir.str("out"));
  EXPECT_EQ(board.override_keys,
            (std::vector<std::string>{"variant", "paper macro_roc_auc", "paper macro_pr_auc", "train.seed"}));
  const std::string markdown = leaderboard_markdown(board);
  EXPECT_NE(markdown.find("| variant | paper macro_roc_auc | paper macro_pr_auc | train.seed |"), std::string::npos)
      << markdown;
  EXPECT_NE(markdown.find("| fcn | 0.9005 | 0.4295 | 1 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("| musicnn |  |  | 1 |"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("\"paper\" columns: Won et al. 2020, Table 2"), std::string::npos) << markdown;
  EXPECT_EQ(board.incomplete.size(), 1u);

  EXPECT_NE(error_of([] {
              parse("sweep: {variants: [{name: a, base: x.yaml}, {name: a, base: y.yaml}]}");
            }).find("'a' names two variants"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse("sweep: {variants: [{name: a}]}"); }).find("sweep.variants[0].base: missing"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              parse("sweep: {base: b.yaml, variants: [{name: a, sett: {}}]}");
            }).find("sweep.variants[0].sett: unknown key"),
            std::string::npos);
}

}  // namespace
}  // namespace musictag::sweep
