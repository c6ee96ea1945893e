fn main() {
    println!("cabletriage");
}
