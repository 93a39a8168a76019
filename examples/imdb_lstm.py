"""Sentiment classification of IMDB reviews: Embedding + LSTM on `imdb.load_data(num_words=...)`.

Run with `python examples/imdb_lstm.py`. It trains on IMDB when `imdb.npz` is in Keras's
cache (or with `KERASTORCH_EXAMPLE_DATA=real`), else on small synthetic reviews.
"""

from example_data import synthetic_reviews, use_real_data

import kerastorch as keras
from kerastorch import layers

keras.utils.set_random_seed(0)
real = use_real_data("imdb.npz")
max_features = 20000  # the vocabulary: the 20,000 most frequent words
maxlen = 80  # cut reviews after this many words
batch_size = 32

print("Loading data...")
if real:
    (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_features)
else:
    max_features = 2000
    (x_train, y_train), (x_test, y_test) = (
        synthetic_reviews(800, max_features, maxlen),
        synthetic_reviews(200, max_features, maxlen, seed=1),
    )
print(len(x_train), "train sequences")
print(len(x_test), "test sequences")

print("Pad sequences (samples x time)")
x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_test = keras.utils.pad_sequences(x_test, maxlen=maxlen)
print("x_train shape:", x_train.shape)
print("x_test shape:", x_test.shape)

model = keras.Sequential(
    [
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(max_features, 128),
        layers.LSTM(128, dropout=0.2, recurrent_dropout=0.2),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.summary()
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])

print("Train...")
model.fit(
    x_train,
    y_train,
    batch_size=batch_size,
    epochs=2,
    validation_data=(x_test, y_test),
)
score, acc = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
print("Test score:", score)
print("Test accuracy:", acc)
