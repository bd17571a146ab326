// The flags every musictag executable shares: --config FILE, repeatable --set section.key=value, --print-config.
#include "cluster/command_line.h"

namespace musictag::cluster {

void ConfigFlags::add_to(CLI::App& app, SectionReader read_sections) {
  read_sections_ = std::move(read_sections);
  app.add_option("-c,--config", path_, "YAML config file (see configs/); keys not given take the defaults below");
  app.add_option("--set", overrides_,
                 "Override one key, e.g. --set train.epochs=3 or --set augment.pitch_shifts=[-2,2]; repeatable")
      ->take_all()
      ->allow_extra_args(false);
  app.add_flag("--print-config", print_only_, "Print the resolved config and exit");
  SectionReader reader = read_sections_;
  app.footer(
      [reader] { return "Config keys (section.key: meaning (default, allowed)):\n" + describe_config_keys(reader); });
}

ConfigFile ConfigFlags::load() const {
  ConfigFile config = ConfigFile::load(path_);
  for (const auto& assignment : overrides_) config.apply_override(assignment);
  if (read_sections_) read_sections_(config);
  config.finish();
  return config;
}

std::string describe_config_keys(const SectionReader& read_sections) {
  ConfigFile defaults = ConfigFile::load("");
  if (read_sections) read_sections(defaults);
  return defaults.describe_keys();
}

}  // namespace musictag::cluster
