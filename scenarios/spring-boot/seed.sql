-- Library schema and seed rows (run by the harness on a fresh database).
CREATE TABLE author (id BIGINT PRIMARY KEY, name VARCHAR(120) NOT NULL, born_year INTEGER);
CREATE TABLE genre (id BIGINT PRIMARY KEY, name VARCHAR(60) NOT NULL UNIQUE);
CREATE TABLE book (
  id BIGINT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  isbn VARCHAR(17) NOT NULL UNIQUE,
  published_year INTEGER,
  author_id BIGINT NOT NULL REFERENCES author (id),
  genre_id BIGINT NOT NULL REFERENCES genre (id)
);
CREATE TABLE branch (id BIGINT PRIMARY KEY, name VARCHAR(80) NOT NULL, city VARCHAR(80) NOT NULL);
CREATE TABLE book_copy (
  id BIGINT PRIMARY KEY,
  book_id BIGINT NOT NULL REFERENCES book (id),
  branch_id BIGINT NOT NULL REFERENCES branch (id),
  shelf VARCHAR(20) NOT NULL
);
CREATE SEQUENCE member_id_seq START WITH 4 INCREMENT BY 1;
CREATE TABLE member (
  id BIGINT PRIMARY KEY DEFAULT nextval('member_id_seq'),
  name VARCHAR(120) NOT NULL,
  email VARCHAR(160) NOT NULL UNIQUE,
  joined_on DATE NOT NULL
);
CREATE SEQUENCE loan_id_seq START WITH 3 INCREMENT BY 1;
CREATE TABLE loan (
  id BIGINT PRIMARY KEY DEFAULT nextval('loan_id_seq'),
  copy_id BIGINT NOT NULL REFERENCES book_copy (id),
  member_id BIGINT NOT NULL REFERENCES member (id),
  borrowed_on DATE NOT NULL,
  due_on DATE NOT NULL,
  status VARCHAR(12) NOT NULL
);
INSERT INTO author (id, name, born_year) VALUES
  (1, 'Ursula K. Le Guin', 1929), (2, 'Italo Calvino', 1923), (3, 'Octavia E. Butler', 1947),
  (4, 'Stanislaw Lem', 1921), (5, 'Toni Morrison', 1931);
INSERT INTO genre (id, name) VALUES (1, 'Science fiction'), (2, 'Fantasy'), (3, 'Literary fiction');
INSERT INTO book (id, title, isbn, published_year, author_id, genre_id) VALUES
  (1, 'The Dispossessed', '978-0-06-051275-0', 1974, 1, 1),
  (2, 'A Wizard of Earthsea', '978-0-547-77374-3', 1968, 1, 2),
  (3, 'Invisible Cities', '978-0-15-645380-6', 1972, 2, 3),
  (4, 'If on a winter''s night a traveler', '978-0-15-643961-9', 1979, 2, 3),
  (5, 'Kindred', '978-0-8070-8369-7', 1979, 3, 1),
  (6, 'Parable of the Sower', '978-1-53-874073-2', 1993, 3, 1),
  (7, 'Solaris', '978-0-15-602760-1', 1961, 4, 1),
  (8, 'The Cyberiad', '978-0-15-602759-5', 1965, 4, 1),
  (9, 'Beloved', '978-1-4000-3341-6', 1987, 5, 3),
  (10, 'The Left Hand of Darkness', '978-0-441-47812-5', 1969, 1, 1);
INSERT INTO branch (id, name, city) VALUES (1, 'Central', 'Lyon'), (2, 'Riverside', 'Lyon'), (3, 'Old Town', 'Annecy');
INSERT INTO book_copy (id, book_id, branch_id, shelf)
  SELECT b.id * 10 + br.id, b.id, br.id, 'S' || (b.id * 7 + br.id) % 40 FROM book b CROSS JOIN branch br;
INSERT INTO member (id, name, email, joined_on) VALUES
  (1, 'Ada Moreau', 'ada@example.org', DATE '2024-03-02'),
  (2, 'Bruno Keller', 'bruno@example.org', DATE '2025-01-17'),
  (3, 'Chloe Ndiaye', 'chloe@example.org', DATE '2025-09-30');
INSERT INTO loan (id, copy_id, member_id, borrowed_on, due_on, status) VALUES
  (1, 11, 1, DATE '2026-11-20', DATE '2026-12-11', 'OPEN'),
  (2, 72, 2, DATE '2026-11-28', DATE '2026-12-19', 'OPEN');
