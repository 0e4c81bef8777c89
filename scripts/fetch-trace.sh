#!/usr/bin/env bash
# Downloads a full public trace that dcsim reads, into DIR (default: traces/ beside this
# repository's scenarios, i.e. ./traces), and prints the SHA-256 of every file it wrote.
#
#   scripts/fetch-trace.sh NAME [DIR]
#   scripts/fetch-trace.sh --list
#
#   scripts/fetch-trace.sh --verify DIR/NAME
#
# Every download is checked, and a mismatch fails and keeps nothing:
#  - against a SHA-256 pinned below, for files at a pinned commit (computed from copies of those
#    files taken from the same commits; this repository's build machine has no internet, so no
#    download was made from it);
#  - against the publisher's own list where there is one (Google 2011: the bucket's SHA256SUM);
#  - against the storage service's Content-MD5 where the publisher has no list (Azure's blobs).
# Each folder written gets a SHA256SUMS manifest; --verify re-checks a copy against it later.
# Needs curl, tar and sha256sum (or shasum on macOS); unzip for bitbrains.
set -euo pipefail

list() {
  cat <<'LIST'
planetlab-2011    PlanetLab CPU traces, 10 days of March-April 2011 (CloudSim's copy)   ~ 30 MB
azure-v1          Azure Public Dataset V1 (2017): vmtable.csv.gz (+ READINGS=N readings files)
azure-v2          Azure Public Dataset V2 (2019): vmtable.csv.gz (+ READINGS=N readings files)
azure-v1-excerpt  Azure V1: OpenDC's genuine 10-VM vmtable and 100-reading excerpt (pinned)      ~ 8 kB
alibaba-gpu-2023  Alibaba cluster-trace-gpu-v2023 (OpenB): node list and default pod list
swf-nasa-ipsc     Parallel Workloads Archive: NASA-iPSC-1993-3.1-cln.swf.gz
google-2011       Google cluster data 2011: task_events and machine_events, part 0 (PARTS=N)
google-2019       Google cluster data 2019 (BigQuery only: prints how)
alibaba-2018      Alibaba cluster-trace-v2018 (prints how: ~48 GB through Alibaba's script)
bitbrains         GWA-T-12 Bitbrains fastStorage (a zip from the Grid Workloads Archive)     ~ 0.5 GB
bitbrains-excerpt GWA-T-12 Bitbrains: OpenDC's genuine copy of one per-VM file (pinned)       ~ 1 MB
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

md5_base64() {
  if command -v openssl >/dev/null 2>&1; then openssl dgst -md5 -binary "$1" | base64
  else python3 -c 'import base64, hashlib, sys; print(base64.b64encode(hashlib.md5(open(sys.argv[1], "rb").read()).digest()).decode())' "$1"; fi
}

# The storage service's Content-MD5 of URL (base64), or nothing when it sends none.
content_md5() {
  curl -fsIL "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-md5" { print $2 }' | tail -n1
}

# Adds FILE's checksum to the SHA256SUMS manifest of the folder ROOT (relative path, sorted).
record() {
  local root=$1 file=$2 sum=$3 rel
  rel=${file#"$root"/}
  touch "$root/SHA256SUMS"
  { grep -v "  $rel\$" "$root/SHA256SUMS" || true; echo "$sum  $rel"; } | LC_ALL=C sort -k2 > "$root/SHA256SUMS.new"
  mv "$root/SHA256SUMS.new" "$root/SHA256SUMS"
}

# get URL FILE [EXPECTED_SHA256 | md5:BASE64]   (the folder $dir gets the manifest)
get() {
  local url=$1 file=$2 expected=${3:-} got
  mkdir -p "$(dirname "$file")"
  echo "downloading $url"
  curl -fL --retry 3 -o "$file.part" "$url"
  got=$(sha256 "$file.part")
  if [[ $expected == md5:* ]]; then
    if [[ $(md5_base64 "$file.part") != "${expected#md5:}" ]]; then
      echo "$file: Content-MD5 ${expected#md5:} does not match the download (not kept)" >&2
      rm -f "$file.part"; exit 1
    fi
    echo "sha256 $got  $file (Content-MD5 matches the server's)"
  else
    check "$file" "$got" "$expected" || { rm -f "$file.part"; exit 1; }
  fi
  mv "$file.part" "$file"
  record "$dir" "$file" "$got"
}

# --verify DIR: every file its SHA256SUMS names must match.
verify() {
  local root=$1 bad=0 sum rel
  [[ -f $root/SHA256SUMS ]] || { echo "$root: no SHA256SUMS manifest (was it fetched by this script?)" >&2; exit 2; }
  while read -r sum rel; do
    if [[ ! -f $root/$rel ]]; then echo "missing  $rel" >&2; bad=1
    elif [[ $(sha256 "$root/$rel") != "$sum" ]]; then echo "MISMATCH $rel" >&2; bad=1
    else echo "ok       $rel"; fi
  done < "$root/SHA256SUMS"
  [[ $bad == 0 ]] || { echo "$root: does not match its manifest" >&2; exit 1; }
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
  azure_get "$(grep -m1 'vmtable' <<<"$links")" "$dir/vmtable.csv.gz"
  grep 'vm_cpu_readings' <<<"$links" | head -n "${READINGS:-0}" | while read -r url; do
    azure_get "$url" "$dir/$(basename "$url")"
  done
}

# Azure publishes no checksums; its blob service sends each blob's Content-MD5, checked here.
azure_get() {
  local md5
  md5=$(content_md5 "$1")
  if [[ -n $md5 ]]; then get "$1" "$2" "md5:$md5"
  else echo "(the server sends no Content-MD5 for $1)"; get "$1" "$2"; fi
}

name=${1:-}
[[ -z $name || $name == -h || $name == --help ]] && { sed -n '2,12p' "$0"; list; exit 0; }
[[ $name == --list ]] && { list; exit 0; }
[[ $name == --verify ]] && { [[ -n ${2:-} ]] || { echo "--verify needs a folder" >&2; exit 2; }; verify "$2"; exit 0; }
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
    (cd "$dir" && find . -type f ! -name SHA256SUMS -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sed 's|  \./|  |' > SHA256SUMS)
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
  azure-v1-excerpt)
    base=https://raw.githubusercontent.com/atlarge-research/opendc/691036deb92b9e236d1a33c6f3066f98a96ba0e6/opendc-trace/opendc-trace-api/src/test/resources/azure/trace
    get "$base/vmtable/vmtable.csv.gz" "$dir/vmtable.csv.gz" bb569e257d06efc8424f49d380c6f57a3edbdab1ad022f0284ad7c0ecb0db281
    get "$base/vm_cpu_readings/vm_cpu_readings-file-1-of-125.csv.gz" "$dir/vm_cpu_readings-file-1-of-125.csv.gz" 60944863185b63698c6b44442ee3a546df9c8bea8dbb314cbb1747a3884acca0
    echo "inspect: dcsim trace inspect azure-v1 $PWD/$dir/vmtable.csv.gz"
    ;;
  google-2011)
    base=https://storage.googleapis.com/clusterdata-2011-2
    mkdir -p "$dir"
    # Google's own list of every file's SHA-256, at the top of the bucket.
    curl -fsL --retry 3 -o "$dir/SHA256SUM.google" "$base/SHA256SUM"
    published() {
      local sum
      sum=$(awk -v f="$1" '{ p = $2; sub(/^\*/, "", p); sub(/^\.\//, "", p) } p == f { print $1; exit }' "$dir/SHA256SUM.google")
      [[ -n $sum ]] || { echo "$1 is not in Google's SHA256SUM" >&2; exit 1; }
      echo "$sum"
    }
    parts=${PARTS:-1}
    for ((i = 0; i < parts; i++)); do
      f=task_events/part-$(printf %05d "$i")-of-00500.csv.gz
      get "$base/$f" "$dir/$f" "$(published "$f")"
    done
    f=machine_events/part-00000-of-00001.csv.gz
    get "$base/$f" "$dir/$f" "$(published "$f")"
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
    # The Grid Workloads Archive publishes no checksum; the manifest keeps the zip's SHA-256.
    url=http://gwa.ewi.tudelft.nl/fileadmin/pds/trace-archives/grid-workloads-archive/datasets/gwa-t-12/fastStorage.zip
    curl -fsIL "$url" >/dev/null 2>&1 || url="https://web.archive.org/web/2019id_/$url"
    get "$url" "$dir/fastStorage.zip"
    command -v unzip >/dev/null 2>&1 || { echo "unzip is needed to unpack $dir/fastStorage.zip" >&2; exit 1; }
    unzip -q -o "$dir/fastStorage.zip" -d "$dir"
    echo "replay: dcsim run scenarios/traces/bitbrains.toml --set workload.trace.path=$PWD/$dir/fastStorage/2013-8"
    ;;
  bitbrains-excerpt)
    get "https://raw.githubusercontent.com/atlarge-research/opendc/691036deb92b9e236d1a33c6f3066f98a96ba0e6/opendc-trace/opendc-trace-api/src/test/resources/bitbrains/bitbrains.csv" \
      "$dir/bitbrains.csv" 89ab899a39596ca5b95f6e1bd668f0ef1c675014cf5baca817b341d6bd77c6eb
    echo "replay: dcsim run scenarios/traces/bitbrains.toml --set workload.trace.path=$PWD/$dir"
    ;;
  *)
    echo "unknown trace '$name'; one of:" >&2
    list >&2
    exit 2 ;;
esac
