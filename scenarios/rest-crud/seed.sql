-- Rest CRUD schema and seed rows (run by the harness on a fresh database).
CREATE SEQUENCE known_fruits_id_seq START WITH 4 INCREMENT BY 1;
CREATE TABLE known_fruits (
  id   INTEGER PRIMARY KEY DEFAULT nextval('known_fruits_id_seq'),
  name VARCHAR(40) UNIQUE
);
ALTER SEQUENCE known_fruits_id_seq OWNED BY known_fruits.id;
INSERT INTO known_fruits (id, name) VALUES (1, 'Cherry'), (2, 'Apple'), (3, 'Banana');
