// libFuzzer target for the pipeline's stage records (RUN/stages/<stage>.json). A damaged record must read as
// "not complete" (the stage runs again), so StageRecords never throws here: any exception is a finding.
#include "fuzz_support.h"
#include "osgan/core/stage_record.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto path = osgan::fuzz::scratch_path("run/stages/gan.json");
  static const osgan::StageRecords records(path.parent_path().parent_path());
  osgan::fuzz::write_input(path, data, size);
  osgan::StageRecord record;
  records.read("gan", record);
  records.is_complete("gan", "fingerprint");
  return 0;
}
