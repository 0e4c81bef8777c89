#!/usr/bin/env bash
# Downloads a full public trace that dcsim reads, into DIR (default: traces/ beside this
# repository's scenarios, i.e. ./traces), and prints the SHA-256 of every file it wrote.
#
#   scripts/fetch-trace.sh NAME [DIR]
#   scripts/fetch-trace.sh --list
#
# Where a checksum is listed below, the download is checked against it and a mismatch fails.
# Those checksums were computed from copies taken from the pinned commits named here; they were
# NOT re-checked by a download from this repository's build machine (it has no internet). Where
# no checksum is known, the script prints the one it computed: keep it to check later copies.
# Needs curl, tar and sha256sum (or shasum on macOS).
set -euo pipefail

list() {
  cat <<'LIST'
planetlab-2011    PlanetLab CPU traces, 10 days of March-April 2011 (CloudSim's copy)   ~ 30 MB
azure-v1          Azure Public Dataset V1 (2017): vmtable.csv.gz (+ READINGS=N readings files)
azure-v2          Azure Public Dataset V2 (2019): vmtable.csv.gz (+ READINGS=N readings files)
alibaba-gpu-2023  Alibaba cluster-trace-gpu-v2023 (OpenB): node list and default pod list
swf-nasa-ipsc     Parallel Workloads Archive: NASA-iPSC-1993-3.1-cln.swf.gz
google-2011       Google cluster data 2011: task_events and machine_events, part 0 (PARTS=N)
google-2019       Google cluster data 2019 (BigQuery only: prints how)
alibaba-2018      Alibaba cluster-trace-v2018 (prints how: ~48 GB through Alibaba's script)
bitbrains         GWA-T-12 Bitbrains (prints how: a zip from the Grid Workloads Archive)
LIST
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# The checksum of a folder: SHA-256 of the sorted `sha256sum` lines of its files.
tree_sha256() {
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)
}

# get URL FILE [EXPECTED_SHA256]
get() {
  local url=$1 file=$2 expected=${3:-}
  mkdir -p "$(dirname "$file")"
  echo "downloading $url"
  curl -fL --retry 3 -o "$file.part" "$url"
  check "$file" "$(sha256 "$file.part")" "$expected" || { rm -f "$file.part"; exit 1; }
  mv "$file.part" "$file"
}

check() {
  local what=$1 got=$2 expected=$3
  if [[ -z $expected ]]; then
    echo "sha256 $got  $what (no published checksum: keep this one)"
  elif [[ $got == "$expected" ]]; then
    echo "sha256 $got  $what (matches)"
  else
    echo "sha256 $got  $what: expected $expected (not kept)" >&2
    return 1
  fi
}

# The vmtable URL (and the first N readings files) that Azure's own link list names.
azure() {
  local version=$1 dir=$2 links
  links=$(curl -fsL "https://raw.githubusercontent.com/Azure/AzurePublicDataset/master/AzurePublicDatasetLinks$version.txt" \
       || curl -fsL "https://raw.githubusercontent.com/Azure/AzurePublicDataset/master/data/AzurePublicDatasetLinks$version.txt")
  get "$(grep -m1 'vmtable' <<<"$links")" "$dir/vmtable.csv.gz"
  grep 'vm_cpu_readings' <<<"$links" | head -n "${READINGS:-0}" | while read -r url; do
    get "$url" "$dir/$(basename "$url")"
  done
}

name=${1:-}
[[ -z $name || $name == -h || $name == --help ]] && { sed -n '2,12p' "$0"; list; exit 0; }
[[ $name == --list ]] && { list; exit 0; }
dir=${2:-traces}/$name

case $name in
  planetlab-2011)
    commit=476ceef2c0ffe02e0b637bbeed4d6805dbd1707a
    mkdir -p "$dir"
    echo "downloading https://github.com/Cloudslab/cloudsim/archive/$commit.tar.gz"
    curl -fL --retry 3 "https://github.com/Cloudslab/cloudsim/archive/$commit.tar.gz" \
      | tar -xz -C "$dir" --strip-components=8 "cloudsim-$commit/modules/cloudsim-examples/src/main/resources/workload/planetlab"
    check "$dir/20110303" "$(tree_sha256 "$dir/20110303")" 058da4b382208f10b458d0f829d160fc919c753657d12f2d2df8ce7986527e02 || exit 1
    check "$dir/20110306" "$(tree_sha256 "$dir/20110306")" 469bd1878e0b328b41d11afa79f41325187d9293326f44b29aed0efba646d701 || exit 1
    for day in "$dir"/*/; do echo "$(ls "$day" | wc -l) VMs in $day"; done
    echo "replay: dcsim run scenarios/planetlab-consolidation.toml --set workload.trace.path=$PWD/$dir/20110303 --set workload.trace.expected_workloads=1052"
    ;;
  azure-v1|azure-v2)
    azure "${name#azure-}" "$dir"
    echo "replay: dcsim run scenarios/traces/azure-v1.toml --set workload.trace.path=$PWD/$dir/vmtable.csv.gz (size the landscape to match)"
    ;;
  alibaba-gpu-2023)
    base=https://raw.githubusercontent.com/alibaba/clusterdata/7a6c496e4f4b6ce6150be8f881cb051bf2abff42/cluster-trace-gpu-v2023/csv
    get "$base/openb_node_list_all_node.csv" "$dir/openb_node_list_all_node.csv" 5a85c2af79c66a1efff8bbcbda430400aae56d8431370d738480967e1a9c6b15
    get "$base/openb_pod_list_default.csv" "$dir/openb_pod_list_default.csv" 1ee7ed79c27a3b0861cda8ddba86a004c6aba904caafa329a76ae93ca63834a8
    echo "replay: dcsim run scenarios/traces/alibaba-gpu-2023.toml --set workload.trace.path=$PWD/$dir/openb_pod_list_default.csv --set workload.trace.machines_path=$PWD/$dir/openb_node_list_all_node.csv --set simulation.duration=150d"
    ;;
  swf-nasa-ipsc)
    get "https://raw.githubusercontent.com/cloudsimplus/cloudsimplus-examples/4394086de1dee68fd5d96cf818f92410bb660dfd/src/main/resources/workload/swf/NASA-iPSC-1993-3.1-cln.swf.gz" \
      "$dir/NASA-iPSC-1993-3.1-cln.swf.gz" 5589ae9b2fb78e3bf92de097497cf33a91607de1ad54563e43533f7827597f29
    echo "(the archive's own copy: https://www.cs.huji.ac.il/labs/parallel/workload/l_nasa_ipsc/NASA-iPSC-1993-3.1-cln.swf.gz)"
    echo "replay: dcsim run scenarios/traces/swf.toml --set workload.trace.path=$PWD/$dir/NASA-iPSC-1993-3.1-cln.swf.gz --set simulation.duration=93d --set landscape.racks.0.host_type=ipsc-860"
    ;;
  google-2011)
    base=https://storage.googleapis.com/clusterdata-2011-2
    parts=${PARTS:-1}
    for ((i = 0; i < parts; i++)); do
      get "$base/task_events/part-$(printf %05d "$i")-of-00500.csv.gz" "$dir/task_events/part-$(printf %05d "$i")-of-00500.csv.gz"
    done
    get "$base/machine_events/part-00000-of-00001.csv.gz" "$dir/machine_events/part-00000-of-00001.csv.gz"
    ;;
  google-2019)
    echo "Google's 2019 cluster data is published in BigQuery only (https://github.com/google/cluster-data," >&2
    echo "ClusterData2019.md): export instance_events and machine_events as CSV or JSON lines, then" >&2
    echo "see docs/traces/cluster.md." >&2
    exit 1 ;;
  alibaba-2018)
    echo "Alibaba's 2018 trace (~48 GB) is fetched by its own script:" >&2
    echo "  https://github.com/alibaba/clusterdata/tree/master/cluster-trace-v2018 (fetchData.sh)" >&2
    exit 1 ;;
  bitbrains)
    echo "GWA-T-12 Bitbrains is a zip from the Grid Workloads Archive:" >&2
    echo "  http://gwa.ewi.tudelft.nl/datasets/gwa-t-12-bitbrains (fastStorage: 1,250 per-VM files)" >&2
    echo "unpack it and point workload.trace.path at fastStorage/2013-8." >&2
    exit 1 ;;
  *)
    echo "unknown trace '$name'; one of:" >&2
    list >&2
    exit 2 ;;
esac
