fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let mut raws = Vec::new();
    for row in cabletriage::read::csv_dump::DumpReader::new(std::fs::File::open(&path).unwrap())
        .flatten()
        .flatten()
    {
        raws.push(cabletriage::read::csv_dump::to_raw_cable(row, "x").0);
    }
    let t = std::time::Instant::now();
    for _ in 0..5 {
        for r in &raws {
            std::hint::black_box(cabletriage::corpus::Entry::from_cable(
                &cabletriage::cable::Cable::for_index(r),
                cabletriage::corpus::Location::NOWHERE,
            ));
        }
    }
    eprintln!("{:?}", t.elapsed() / 5);
}
