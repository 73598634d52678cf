CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, quantity INT NOT NULL);
INSERT INTO item VALUES (1, 'Anvil', 3), (2, 'Bellows', 7), (3, 'Crucible', 12);
